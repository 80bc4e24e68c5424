"""Unit tests of the fault report rules, no I/O (S-1): the status machine open →
in_progress ⇄ waiting_for_customer → resolved → closed, who may reply or close when, and
how many photos a report takes."""

import pytest
from servicedesk_service.requests import domain as d

S = d.RequestStatus
NOT_CLOSED = [S.OPEN, S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, S.RESOLVED]


class TestStaffReply:
    def test_first_staff_reply_moves_open_to_in_progress_S1(self):
        assert d.reply(S.OPEN, d.Author.STAFF) == d.ReplyOutcome(S.IN_PROGRESS, changed=True)

    @pytest.mark.parametrize("status", [S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, S.RESOLVED])
    def test_staff_reply_without_status_keeps_it(self, status):
        assert d.reply(status, d.Author.STAFF) == d.ReplyOutcome(status, changed=False)

    @pytest.mark.parametrize("start", NOT_CLOSED)
    @pytest.mark.parametrize("target", [S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, S.RESOLVED])
    def test_staff_may_move_to_any_working_status_S1(self, start, target):
        assert d.reply(start, d.Author.STAFF, target) == d.ReplyOutcome(
            target, changed=start is not target)

    @pytest.mark.parametrize("target", [S.OPEN, S.CLOSED])
    def test_staff_reply_cannot_reopen_or_close(self, target):
        with pytest.raises(d.IllegalTransition, match=f"cannot be moved to {target.value}"):
            d.reply(S.IN_PROGRESS, d.Author.STAFF, target)

    @pytest.mark.parametrize("requested", [None, S.IN_PROGRESS, S.RESOLVED])
    def test_closed_report_refuses_staff_replies(self, requested):
        with pytest.raises(d.IllegalTransition, match="closed and accepts no more replies"):
            d.reply(S.CLOSED, d.Author.STAFF, requested)


class TestCustomerReply:
    @pytest.mark.parametrize("status", [S.OPEN, S.IN_PROGRESS])
    def test_customer_reply_leaves_open_work_alone_S1(self, status):
        assert d.reply(status, d.Author.CUSTOMER) == d.ReplyOutcome(status, changed=False)

    def test_answer_to_waiting_brings_back_in_progress_S1(self):
        assert d.reply(S.WAITING_FOR_CUSTOMER, d.Author.CUSTOMER) == d.ReplyOutcome(
            S.IN_PROGRESS, changed=True)

    def test_reply_on_resolved_reopens_it_S1(self):
        assert d.reply(S.RESOLVED, d.Author.CUSTOMER) == d.ReplyOutcome(S.OPEN, changed=True)

    def test_closed_report_refuses_customer_replies_S1(self):
        with pytest.raises(d.IllegalTransition, match="as a new report"):
            d.reply(S.CLOSED, d.Author.CUSTOMER)

    def test_customer_cannot_change_the_status(self):
        with pytest.raises(d.InvalidRequest, match="Only staff"):
            d.reply(S.OPEN, d.Author.CUSTOMER, S.RESOLVED)


class TestClose:
    def test_resolved_report_closes_S1(self):
        assert d.close(S.RESOLVED) is S.CLOSED

    @pytest.mark.parametrize("status", [S.OPEN, S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER])
    def test_unresolved_report_cannot_be_closed(self, status):
        with pytest.raises(d.IllegalTransition, match=f"Only a resolved.*{status.value}"):
            d.close(status)

    def test_closing_twice_is_a_conflict(self):
        with pytest.raises(d.IllegalTransition, match="already closed"):
            d.close(S.CLOSED)


class TestPhotos:
    @pytest.mark.parametrize("status", NOT_CLOSED)
    def test_up_to_six_photos_while_not_closed_S1(self, status):
        d.add_photos(status, existing=0, adding=6)
        d.add_photos(status, existing=5, adding=1)

    def test_seventh_photo_is_refused(self):
        with pytest.raises(d.InvalidRequest, match="at most 6 photos; this one has 6, so 0"):
            d.add_photos(S.OPEN, existing=6, adding=1)
        with pytest.raises(d.InvalidRequest, match="has 4, so 2 more can be added \\(not 3\\)"):
            d.add_photos(S.OPEN, existing=4, adding=3)

    def test_no_photos_on_a_closed_report(self):
        with pytest.raises(d.IllegalTransition, match="closed"):
            d.add_photos(S.CLOSED, existing=0, adding=1)

    def test_nothing_to_add_is_refused(self):
        with pytest.raises(d.InvalidRequest, match="at least one photo"):
            d.add_photos(S.OPEN, existing=0, adding=0)


class TestActions:
    def test_offers_follow_the_rules(self):
        assert d.actions(S.OPEN, d.Author.CUSTOMER) == ["reply", "photos"]
        assert d.actions(S.RESOLVED, d.Author.CUSTOMER) == ["reply", "photos", "close"]
        assert d.actions(S.RESOLVED, d.Author.STAFF) == ["reply", "close"]
        assert d.actions(S.WAITING_FOR_CUSTOMER, d.Author.STAFF) == ["reply"]
        assert d.actions(S.CLOSED, d.Author.CUSTOMER) == []
        assert d.actions(S.CLOSED, d.Author.STAFF) == []


def test_error_statuses():
    assert d.IllegalTransition("x").status_code == 409
    assert d.InvalidRequest("x").status_code == 422


def test_tables_cover_every_status():
    assert set(d.TRANSITIONS) == set(S)
    assert set(d.CUSTOMER_REPLY) == set(S) - {S.CLOSED}
    assert all(S.OPEN not in t and S.CLOSED not in t for t in d.TRANSITIONS.values())
    assert d.UNFINISHED == (S.OPEN, S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER)
