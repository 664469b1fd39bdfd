"""Writes of the service pages: statements (platform admin) and organisation contacts."""

from __future__ import annotations

from ketenwijs.site.statements import StatementKind
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.core.models import OrganisationContact, SiteStatement


def record_statement(actor: User, kind: StatementKind, body_nl: str, body_en: str) -> SiteStatement:
    """Store the platform admin's text of a statement, replacing the default or the last text."""
    if not actor.is_platform_admin:
        raise PermissionError("only platform admins edit the statements")
    statement, _created = SiteStatement.objects.update_or_create(
        kind=kind.value,
        defaults={"body_nl": body_nl, "body_en": body_en, "updated_by": actor},
    )
    return statement


def reset_statement(actor: User, kind: StatementKind) -> None:
    """Go back to the packaged default text of a statement."""
    if not actor.is_platform_admin:
        raise PermissionError("only platform admins edit the statements")
    SiteStatement.objects.filter(kind=kind.value).delete()


def contact_for(organisation: Organisation | None) -> OrganisationContact | None:
    """Return the organisation's help and contact settings, or None when none were set."""
    if organisation is None:
        return None
    return OrganisationContact.objects.filter(organisation=organisation).first()


def record_organisation_contact(
    actor: User, organisation: Organisation, form_data: dict[str, str]
) -> OrganisationContact:
    """Store an organisation's help text and contacts (its own admin, or a platform admin)."""
    if not actor.can_manage_organisation(organisation):
        raise PermissionError("only the organisation's admins set its help and contacts")
    contact, _created = OrganisationContact.objects.update_or_create(
        organisation=organisation, defaults={**form_data, "updated_by": actor}
    )
    return contact
