"""The compatibility checker (I-4) on examples: what a subscriber or an event already
written survives (new optional fields, widened Literals, descriptions) and what it does
not (a field removed or renamed, a new required field, a type, format or value set
changed)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from dinghuo_contracts.compat import breaking_changes, contract_breaking_changes
from dinghuo_contracts.events import Money
from dinghuo_contracts.schemas import data_schema
from pydantic import BaseModel, Field

# Plain models, not Events: defining an Event with a `type` would register it.


def changes(old: type[BaseModel], new: type[BaseModel]) -> list[str]:
    return breaking_changes(data_schema(old), data_schema(new))


class Base(BaseModel):
    invoice_id: uuid.UUID
    amount: Money
    invoice_date: date
    status: Literal["requested", "issued"]
    note: str | None = None


class TestCompatible:
    def test_the_same_schema_I4(self):
        assert changes(Base, Base) == []

    def test_a_new_optional_field_I4(self):
        class New(Base):
            courier: str | None = None
            fapiao: list[str] = []
            resubmitted: bool = False

        assert changes(Base, New) == []

    def test_a_widened_literal_I4(self):
        class New(Base):
            status: Literal["requested", "issued", "confirmed"]

        assert changes(Base, New) == []

    def test_a_literal_widened_to_any_string_I4(self):
        class New(Base):
            status: str

        assert changes(Base, New) == []

    def test_descriptions_titles_and_a_required_field_getting_a_default_I4(self):
        class New(Base):
            """Now with a docstring."""

            invoice_date: date = Field(default=date(2026, 1, 1), title="Date",
                                       description="The business date of issue")

        assert changes(Base, New) == []


class TestBreaking:
    def test_a_field_removed_I4(self):
        class Old(BaseModel):
            invoice_id: uuid.UUID
            note: str | None = None

        class New(BaseModel):
            invoice_id: uuid.UUID

        assert changes(Old, New) == ["note: field removed"]

    def test_a_renamed_field_is_removed_plus_added_I4(self):
        class Old(BaseModel):
            invoice_id: uuid.UUID
            amount: Money

        class New(BaseModel):
            invoice_id: uuid.UUID
            total: Money

        assert changes(Old, New) == [
            "amount: field removed (renamed to 'total'?)",
            "total: new required field (give it a default)"]

    def test_a_new_required_field_I4(self):
        class New(Base):
            tax_number: str

        assert changes(Base, New) == ["tax_number: new required field (give it a default)"]

    def test_a_field_becoming_required_I4(self):
        class Old(BaseModel):
            note: str = ""

        class New(BaseModel):
            note: str

        assert changes(Old, New) == ["note: field became required (it had a default)"]

    def test_an_optional_field_made_required_and_not_null_I4(self):
        class New(Base):
            note: str

        found = changes(Base, New)
        assert "note: field became required (it had a default)" in found
        assert any(c.startswith("note: type changed") and "no longer null" in c
                   for c in found)

    def test_a_type_changed_I4(self):
        class Old(BaseModel):
            days: int

        class New(BaseModel):
            days: str

        [change] = changes(Old, New)
        assert change.startswith("days: type changed: integer → string")

    def test_money_to_a_number_or_a_free_string_I4(self):
        class AsFloat(Base):
            amount: float

        class AsDecimal(Base):
            amount: Decimal

        class AsText(Base):
            amount: str

        assert any("type changed" in c for c in changes(Base, AsFloat))
        assert changes(Base, AsText) == [r'amount: pattern changed: "^-?\\d+\\.\\d{2}$" → null']
        assert changes(Base, AsDecimal)  # a number or a string of any precision

    def test_a_format_changed_I4(self):
        class New(Base):
            invoice_date: datetime

        assert changes(Base, New) == ['invoice_date: format changed: "date" → "date-time"']

    def test_a_uuid_become_any_string_I4(self):
        class New(Base):
            invoice_id: str

        assert changes(Base, New) == ['invoice_id: format changed: "uuid" → null']

    def test_literal_values_removed_I4(self):
        class New(Base):
            status: Literal["issued"]

        assert changes(Base, New) == ['status: values removed: ["requested"]']

    def test_a_free_string_restricted_to_values_I4(self):
        class Old(BaseModel):
            bill_type: str

        class New(BaseModel):
            bill_type: Literal["ordinary_vat", "special_vat"]

        assert changes(Old, New) == [
            'bill_type: values restricted to ["ordinary_vat", "special_vat"]']

    def test_null_newly_allowed_I4(self):
        class New(Base):
            invoice_date: date | None = None

        [change] = changes(Base, New)
        assert change.startswith("invoice_date: type changed") and "now also null" in change

    def test_inside_lists_of_nested_models_I4(self):
        class Line(BaseModel):
            product_id: uuid.UUID
            quantity: int

        class Line2(BaseModel):
            product_id: uuid.UUID
            qty: int = 0

        class Old(BaseModel):
            lines: list[Line]

        class New(BaseModel):
            lines: list[Line2]

        assert changes(Old, New) == ["lines[].quantity: field removed (renamed to 'qty'?)"]

    def test_dictionary_values_I4(self):
        class Old(BaseModel):
            params: dict[str, str] = {}

        class New(BaseModel):
            params: dict[str, int] = {}

        [change] = changes(Old, New)
        assert change.startswith("params[*]: type changed: string → integer")


class TestContracts:
    def test_a_removed_type_or_version_is_breaking_I4(self):
        schema = data_schema(Base)
        assert contract_breaking_changes({"invoice.issued": {"1": schema}}, {}) == [
            "invoice.issued v1: removed (a published (type, version) stays registered; "
            "say in its docstring that it is deprecated instead)"]

    def test_a_new_version_or_type_is_an_addition_I4(self):
        schema = data_schema(Base)
        old = {"invoice.issued": {"1": schema}}
        new = {"invoice.issued": {"1": schema, "2": {"type": "object", "properties": {}}},
               "invoice.cancelled": {"1": schema}}
        assert contract_breaking_changes(old, new) == []

    def test_a_breaking_change_names_the_event_and_says_what_to_do_I4(self):
        class New(Base):
            tax_number: str

        old = {"invoice.issued": {"1": data_schema(Base)}}
        [problem] = contract_breaking_changes(old, {"invoice.issued": {"1": data_schema(New)}})
        assert problem == ("invoice.issued v1: tax_number: new required field (give it a "
                           "default) — keep v1 as it was and make the change a new class "
                           "with version = 2")
