"""The thread pool that reads Content Credentials at conform is as large as the CPUs the
process may run on (its affinity: taskset, a container's cpuset), not the machine's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cutclear import credentials


@pytest.mark.parametrize(("cpus", "size"), [({0}, 2), ({0, 1, 2}, 3), (set(range(6)), 6),
                                            (set(range(32)), 8)])
def test_the_pool_follows_the_affinity_not_the_machine(monkeypatch, cpus, size):
    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: cpus, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)  # a big node, of which we have a slot
    assert credentials.pool_size() == size


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only")
def test_a_process_pinned_to_one_core_reads_with_two_threads():
    # one core: two threads still overlap one file's reading with another's hashing
    code = "from cutclear.credentials import POOL_SIZE; print(POOL_SIZE)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, preexec_fn=lambda: os.sched_setaffinity(0, {0}))
    assert out.stdout.strip() == "2"
