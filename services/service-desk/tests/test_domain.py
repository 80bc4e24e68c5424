"""Unit tests of the service request rules, no I/O (S-1): the status machine
open → in_progress → resolved and who may reply when."""

import pytest
from servicedesk_service.requests import domain as d

S = d.RequestStatus


class TestStaffReply:
    def test_first_staff_reply_moves_open_to_in_progress_S1(self):
        assert d.reply(S.OPEN, d.Author.STAFF) == d.ReplyOutcome(S.IN_PROGRESS, changed=True)

    def test_staff_reply_keeps_in_progress(self):
        assert d.reply(S.IN_PROGRESS, d.Author.STAFF) == d.ReplyOutcome(S.IN_PROGRESS, False)
        assert d.reply(S.IN_PROGRESS, d.Author.STAFF, S.IN_PROGRESS) == d.ReplyOutcome(
            S.IN_PROGRESS, False)

    @pytest.mark.parametrize("start", [S.OPEN, S.IN_PROGRESS])
    def test_staff_can_resolve_S1(self, start):
        assert d.reply(start, d.Author.STAFF, S.RESOLVED) == d.ReplyOutcome(S.RESOLVED, True)

    def test_status_never_goes_back_to_open(self):
        with pytest.raises(d.IllegalTransition, match="cannot be moved to open"):
            d.reply(S.IN_PROGRESS, d.Author.STAFF, S.OPEN)

    @pytest.mark.parametrize("requested", [None, S.IN_PROGRESS, S.RESOLVED])
    def test_resolved_request_refuses_staff_replies(self, requested):
        with pytest.raises(d.IllegalTransition, match="resolved"):
            d.reply(S.RESOLVED, d.Author.STAFF, requested)


class TestCustomerReply:
    @pytest.mark.parametrize("status", [S.OPEN, S.IN_PROGRESS])
    def test_customer_reply_leaves_the_status_alone_S1(self, status):
        assert d.reply(status, d.Author.CUSTOMER) == d.ReplyOutcome(status, changed=False)

    def test_resolved_request_refuses_customer_replies_S1(self):
        with pytest.raises(d.IllegalTransition, match="open a new request"):
            d.reply(S.RESOLVED, d.Author.CUSTOMER)

    def test_customer_cannot_change_the_status(self):
        with pytest.raises(d.InvalidRequest):
            d.reply(S.OPEN, d.Author.CUSTOMER, S.RESOLVED)


def test_error_statuses():
    assert d.IllegalTransition("x").status_code == 409
    assert d.InvalidRequest("x").status_code == 422


def test_transitions_cover_every_status():
    assert set(d.TRANSITIONS) == set(S)
    assert all(S.OPEN not in targets for targets in d.TRANSITIONS.values())
