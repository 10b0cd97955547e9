"""The hook's quick test of the installation: a stat-only key recorded beside the
fingerprint of the installed plugins, so that a commit touching nothing skips parsing
every distribution's metadata, yet any change of a plugin still re-checks every cut."""

from __future__ import annotations

import os
import sys

import pytest

from cutclear import installed


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path holding one plugin distribution, and a private cache."""
    folder = tmp_path / "site"
    info = folder / "house_rules-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: house-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[cutclear]\nhouse = house_rules\n")
    monkeypatch.setattr(sys, "path", [*sys.path, str(folder)])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return folder


def test_the_key_changes_with_every_change_of_a_distribution(site, monkeypatch):
    info = site / "house_rules-1.0.dist-info"
    keys = [installed.quick_key()]
    assert installed.quick_key() == keys[0]  # the same installation, the same key
    (info / "entry_points.txt").write_text("[cutclear]\nhouse = house_rules.v2\n")
    keys.append(installed.quick_key())  # rewritten in place, in the same folder
    st = os.stat(info / "METADATA")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: house-rules\nVersion: 1.1\n")
    os.utime(info / "METADATA", ns=(st.st_atime_ns, st.st_mtime_ns))  # even with mtime kept
    keys.append(installed.quick_key())
    (site / "vendor_x-2.0.dist-info").mkdir()
    keys.append(installed.quick_key())  # a new distribution
    (info / "entry_points.txt").unlink()
    keys.append(installed.quick_key())
    monkeypatch.setenv("CUTCLEAR_DISABLE_PLUGINS", "house")
    keys.append(installed.quick_key())
    assert len(set(keys)) == len(keys)


def test_a_matching_key_answers_without_the_fingerprint(site, monkeypatch):
    key = installed.quick_key()
    installed.record_pass(str(site), installed.fingerprint(), key)
    monkeypatch.setattr(installed, "fingerprint", lambda: pytest.fail("parsed metadata"))
    assert installed.changed_since_pass(str(site), key) is None


def test_another_key_is_checked_by_the_fingerprint(site):
    scope, info = str(site), site / "house_rules-1.0.dist-info"
    before = installed.fingerprint()
    installed.record_pass(scope, before, installed.quick_key())
    (info / "entry_points.txt").write_text("[cutclear]\nhouse = house_rules\nmore = more\n")
    key = installed.quick_key()
    now = installed.changed_since_pass(scope, key)
    assert now is not None and now != before  # a plugin added: re-check everything
    assert installed.passed_with(scope) == before  # and nothing recorded until it passes


def test_a_reinstall_of_the_same_versions_is_not_a_change_and_gets_the_new_key(site):
    scope, info = str(site), site / "house_rules-1.0.dist-info"
    installed.record_pass(scope, installed.fingerprint(), installed.quick_key())
    (info / "METADATA").write_bytes((info / "METADATA").read_bytes())  # rewritten, same
    os.utime(info / "METADATA", ns=(1, 1))
    key = installed.quick_key()
    assert installed.changed_since_pass(scope, key) is None
    assert installed._passed(scope)["quick"] == key


def test_a_record_of_an_older_cutclear_without_a_key_is_checked_by_the_fingerprint(site):
    scope = str(site)
    installed.record_pass(scope, "f" * 64)  # no key, and not this installation
    assert installed.changed_since_pass(scope, installed.quick_key()) == installed.fingerprint()


def test_the_fingerprint_of_a_matched_pass_answers_until_the_key_changes(site, monkeypatch):
    """The timeline cache asks for the fingerprint on every cached run: once the hook has
    matched the pass by its key, that pass's fingerprint answers without parsing the
    metadata, and only while the installation keeps that key."""
    scope, info = str(site), site / "house_rules-1.0.dist-info"
    current = installed.fingerprint()
    installed.record_pass(scope, current, installed.quick_key())
    assert installed.changed_since_pass(scope, installed.quick_key()) is None
    real = installed._computed
    monkeypatch.setattr(installed, "_computed", lambda: pytest.fail("parsed metadata"))
    assert installed.fingerprint() == current
    monkeypatch.setattr(installed, "_computed", real)
    (info / "entry_points.txt").write_text("[cutclear]\nhouse = house_rules\nmore = more\n")
    assert installed.fingerprint() not in (current, None)  # a plugin added: computed again
    monkeypatch.setenv("CUTCLEAR_DISABLE_PLUGINS", "house")
    assert installed.fingerprint() == real()
