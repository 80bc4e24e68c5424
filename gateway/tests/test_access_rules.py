"""Access rules without I/O: permission names and role expansion (X-1), areas (C-7),
granting and managing, the lockout window and rate window (X-3), password strength and
one-time reset tokens (C-8), the query-password unlock."""

from datetime import UTC, datetime, timedelta

import pytest
from dinghuo_gateway.access import domain as access
from dinghuo_gateway.security.domain import LockoutRule, RateWindow
from dinghuo_gateway.users import domain, passwords
from servicekit.errors import Forbidden

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class TestPermissionNames:
    def test_every_module_action_pair_is_valid_X1(self):
        names = [f"{m}:{a}" for m in access.MODULES for a in access.ACTIONS]
        assert len(names) == 40  # ten modules (ops: dead letters, B-7), four actions
        assert access.check_permissions(names) == sorted(names)

    def test_cleaned_deduplicated_sorted(self):
        assert access.check_permissions([" orders:query", "orders:query", "*",
                                         "points:*"]) == ["*", "orders:query", "points:*"]

    @pytest.mark.parametrize("bad", ["orders", "orders:approve", "shop:query", "orders:",
                                     ":query", "Orders:query", "orders:query:x", ""])
    def test_unknown_module_or_action_is_422_naming_it_X1(self, bad):
        with pytest.raises(access.InvalidPermission) as exc:
            access.check_permissions(["orders:query", bad])
        assert exc.value.status_code == 422
        assert "permissions" in exc.value.message and repr(bad) in exc.value.message


class TestRoleExpansion:
    def test_effective_is_own_plus_every_role_X1(self):
        eff = access.effective(["orders:query"], [["orders:review", "customers:query"],
                                                  ["orders:query"]])
        assert eff == {"orders:query", "orders:review", "customers:query"}

    def test_no_roles_no_extras(self):
        assert access.effective([], []) == frozenset()

    @pytest.mark.parametrize(("granted", "wanted", "ok"), [
        ({"*"}, "orders:review", True), ({"*"}, "*", True),
        ({"orders:*"}, "orders:review", True), ({"orders:*"}, "orders:*", True),
        ({"orders:query"}, "orders:review", False), ({"orders:query"}, "orders:*", False),
        ({f"orders:{a}" for a in access.ACTIONS}, "orders:*", True),
        ({"orders:*"}, "*", False), (set(), "orders:query", False),
    ])
    def test_covers_entry_query_modify_review_separately_X1(self, granted, wanted, ok):
        assert access.covers(frozenset(granted), wanted) is ok
        # issue 16: one matcher — the services' Principal.has answers the same
        from servicekit.auth import Principal

        assert Principal("s", "staff", permissions=frozenset(granted)).has(wanted) is ok


class TestAreas:
    def test_areas_cleaned_and_empty_names_refused_C7(self):
        assert access.check_areas([" 华东 ", "华北", "华东"]) == sorted({"华北", "华东"})
        with pytest.raises(access.InvalidArea):
            access.check_areas(["  "])

    @pytest.mark.parametrize(("actor", "target", "ok"), [
        ([], [], True), ([], ["华东"], True), (["华东"], ["华东"], True),
        (["华东", "华北"], ["华东"], True), (["华东"], ["华北"], False),
        (["华东"], [], False),  # an area-limited actor cannot reach "all areas"
    ])
    def test_area_limited_actor_reaches_only_its_areas_C7(self, actor, target, ok):
        assert access.areas_within(actor, target) is ok


class TestGrantAndManage:
    def test_nobody_grants_what_they_do_not_hold_X1(self):
        actor = frozenset({"settings:entry", "orders:query"})
        access.check_can_grant(actor, [], ["orders:query"], [])
        with pytest.raises(Forbidden, match="orders:review"):
            access.check_can_grant(actor, [], ["orders:query", "orders:review"])
        with pytest.raises(Forbidden):
            access.check_can_grant(actor, [], ["*"])

    def test_area_limited_actor_grants_only_its_areas_C7(self):
        actor = frozenset({"*"})
        access.check_can_grant(actor, ["华东"], ["orders:query"], ["华东"])
        with pytest.raises(Forbidden):
            access.check_can_grant(actor, ["华东"], [], [])
        with pytest.raises(Forbidden):
            access.check_can_grant(actor, ["华东"], [], ["华北"])

    def test_a_lesser_administrator_cannot_manage_a_stronger_account_X1(self):
        lesser = frozenset({"settings:query", "settings:modify"})
        access.check_can_manage(lesser, [], ["settings:query"], [])
        with pytest.raises(Forbidden):
            access.check_can_manage(lesser, [], ["*"], [])
        with pytest.raises(Forbidden):
            access.check_can_manage(frozenset({"*"}), ["华东"], [], ["华北"])


class TestLockoutWindow:
    rule = LockoutRule(5, timedelta(minutes=15), timedelta(minutes=15))

    def test_fifth_failure_within_15_minutes_locks_for_15_minutes_X3(self):
        fails = [NOW - timedelta(minutes=m) for m in (14, 10, 5, 1)] + [NOW]
        assert self.rule.locked_until(fails, NOW) == NOW + timedelta(minutes=15)

    def test_four_failures_do_not_lock_X3(self):
        fails = [NOW - timedelta(minutes=m) for m in (3, 2, 1)] + [NOW]
        assert self.rule.locked_until(fails, NOW) is None

    def test_failures_older_than_the_window_do_not_count_X3(self):
        fails = [NOW - timedelta(minutes=m) for m in (40, 20, 15)] + [
            NOW - timedelta(minutes=1), NOW]
        assert self.rule.recent(fails, NOW) == 2
        assert self.rule.locked_until(fails, NOW) is None

    def test_lock_lasts_until_its_end_X3(self):
        until = NOW + timedelta(minutes=15)
        assert self.rule.is_locked(until, NOW + timedelta(minutes=14, seconds=59))
        assert not self.rule.is_locked(until, until)
        assert not self.rule.is_locked(None, NOW)


class TestRateWindow:
    def test_fixed_window_allows_the_limit_then_says_when_to_retry_X3(self):
        w = RateWindow(limit=30, seconds=60)
        at = datetime(2026, 11, 23, 8, 0, 45, tzinfo=UTC)
        assert w.start(at) == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
        assert w.allows(30) and not w.allows(31)
        assert w.retry_after(at) == 15


class TestPasswords:
    @pytest.mark.parametrize("pw", ["short1", "onlyletters", "12345678", "x" * 129])
    def test_weak_passwords_refused_C8(self, pw):
        with pytest.raises(domain.InvalidCredentialsFormat):
            domain.check_password(pw)

    def test_new_password_must_differ_and_be_strong_C8(self):
        domain.check_new_password("old-pass-1", "new-pass-2", "li")
        with pytest.raises(domain.InvalidCredentialsFormat, match="differ"):
            domain.check_new_password("same-pass-1", "same-pass-1", "li")
        with pytest.raises(domain.InvalidCredentialsFormat):
            domain.check_new_password("old-pass-1", "li-wang-1", "li-wang-1")

    def test_temporary_passwords_are_strong_and_different_C8(self):
        issued = {passwords.temporary_password() for _ in range(50)}
        assert len(issued) == 50
        for pw in issued:
            domain.check_password(pw, "someone")


class TestResetToken:
    def test_token_is_kept_only_as_sha256_C8(self):
        h = domain.hash_token("abc")
        assert len(h) == 64 and h != "abc" and h == domain.hash_token("abc")

    def test_works_once_before_expiry_C8(self):
        domain.check_reset_token(NOW + timedelta(minutes=30), None, NOW)

    def test_used_token_is_gone_C8(self):
        with pytest.raises(domain.ResetTokenUsed) as exc:
            domain.check_reset_token(NOW + timedelta(minutes=30), NOW, NOW)
        assert exc.value.status_code == 410 and "already been used" in exc.value.message

    def test_expired_token_is_gone_C8(self):
        with pytest.raises(domain.ResetTokenExpired) as exc:
            domain.check_reset_token(NOW, None, NOW)
        assert exc.value.status_code == 410 and "expired" in exc.value.message


class TestSensitiveUnlock:
    def test_only_the_unlocking_session_until_the_end_X3(self):
        until = NOW + timedelta(minutes=15)
        assert domain.sensitive_unlocked("s1", "s1", until, NOW)
        assert not domain.sensitive_unlocked("s2", "s1", until, NOW)
        assert not domain.sensitive_unlocked("s1", "s1", until, until)
        assert not domain.sensitive_unlocked("s1", None, None, NOW)


class TestContacts:
    def test_mobile_and_email_checked(self):
        assert domain.check_mobile(" 13900001111 ") == "13900001111"
        assert domain.check_mobile("") is None
        with pytest.raises(domain.InvalidCredentialsFormat, match="mobile"):
            domain.check_mobile("12345")
        with pytest.raises(domain.InvalidCredentialsFormat, match="email"):
            domain.check_email("not-an-email")


class TestHashingCost:
    """X-3: the standard argon2id profile in every environment but the test suites'; a
    hash of either profile verifies under the other (hashes carry their parameters)."""

    def test_standard_is_argon2s_recommended_profile_and_low_is_refused_in_production(self):
        from argon2 import PasswordHasher
        from dinghuo_gateway.config import Settings
        std = passwords.hasher_for("standard")
        assert (std.time_cost, std.memory_cost) == (PasswordHasher().time_cost,
                                                    PasswordHasher().memory_cost)
        with pytest.raises(ValueError, match="not production"):
            Settings(environment="production", password_hash_cost="low",
                     internal_token_secret="x" * 40, session_secret="y" * 40)

    def test_hashes_of_one_profile_verify_under_the_other(self):
        low, std = passwords.hasher_for("low"), passwords.hasher_for("standard")
        assert std.verify(low.hash("Pw-123456"), "Pw-123456")
        assert low.verify(std.hash("Pw-123456"), "Pw-123456")
