"""The `/api/v1/` operations: thin shells over the pure cores, as the CLI is (spec §4.5).

Every answer that is not a 200 has the shape `{"detail": "...", "errors": [{"field", "message"}]}`;
invalid input lists every problem per field (422), unreadable JSON is 400, a missing, unknown or
revoked token 401, a token without the operation's scope 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from ninja import NinjaAPI, Path, Query, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.responses import Status

from ketenwijs.inputs import JsonInputError, JsonLimits, load_json
from ketenwijs.privacy import check_text
from ketenwijs.sharing import (
    Case,
    CaseError,
    VersionError,
    compare_dates,
    evaluate,
    load_rulebook,
)
from ketenwijs.signals import scan_text
from ketenwijs.web.accounts.models import User
from ketenwijs.web.api.auth import ApiTokenAuth, token_of
from ketenwijs.web.api.constants import MAX_BODY_BYTES, Scope
from ketenwijs.web.api.schemas import (
    AssessmentOut,
    CaseIn,
    ComparisonOut,
    DecisionFilter,
    DecisionOut,
    DecisionPage,
    ErrorOut,
    PrivacyIn,
    PrivacyOut,
    RulesetListOut,
    ScanIn,
    ScanOut,
)
from ketenwijs.web.api.services import token_records
from ketenwijs.web.audit.forms import LogFilterForm

MAX_SEQUENCE = 2**63 - 1  # PostgreSQL bigint: a larger number is simply not a record

DESCRIPTION = f"""\
The Ketenwijs contracts over HTTP (spec §4.5): assess a sharing case (§4.1), scan a text for
signals of exploitation (§4.2), check a text for personal data (§4.3), list the rule-set versions
and read your organisation's decision log. Field names are those of the CLI and never change
within v1; new fields may be added.

Authenticate with `Authorization: Bearer kw_…`, a token an organisation admin creates under
/api-tokens/ with the scopes it needs. Browser sessions are not accepted. Texts are processed in
memory and never stored; every call is logged with its operation, status and duration only.
Request bodies are limited to {MAX_BODY_BYTES:,} bytes (413). Ketenwijs supports decisions; it is
not legal advice.
"""


# JSON bodies: nesting, number length and duplicate keys are bounded before parsing (the body
# size is bounded before it is read, in urls.logged).
API_JSON_LIMITS = JsonLimits(max_chars=MAX_BODY_BYTES, max_depth=20, max_number_chars=40)


class BoundedParser(Parser):
    """ninja's JSON parser with the same bounds as every other JSON the service reads."""

    def parse_body(self, request: HttpRequest) -> Any:
        return load_json(request.body.decode("utf-8"), API_JSON_LIMITS)


class KetenwijsAPI(NinjaAPI):
    """NinjaAPI whose document also names the case schema that `sharing/assess` reads itself."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        case = CaseIn.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema["components"]["schemas"]
        for name, definition in case.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault("Case", case)
        return schema


api = KetenwijsAPI(
    title="Ketenwijs API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    parser=BoundedParser(),
    docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
)

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
BODY_ERRORS: dict[int, Any] = {**ERRORS, 400: ErrorOut, 413: ErrorOut, 422: ErrorOut}


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path"}:
        parts = parts[1:]
        if parts and parts[0] in {"payload", "filters"}:  # the view's parameter name
            parts = parts[1:]
    return ".".join(parts) or "(body)"


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field(e.get("loc", ())), "message": str(e["msg"])} for e in exc.errors]
    return _error(request, 422, "The request is invalid; see errors per field.", errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = _error(
            request, 401, "Send a valid, unrevoked API token: Authorization: Bearer kw_…"
        )
        response["WWW-Authenticate"] = 'Bearer realm="ketenwijs"'
        return response
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


# -- Delen -------------------------------------------------------------------------------------
sharing = Router(tags=["sharing"], auth=ApiTokenAuth(Scope.SHARING))


@sharing.post(
    "/assess",
    response={200: AssessmentOut, **BODY_ERRORS},
    exclude_unset=True,
    url_name="sharing_assess",
    summary="Assess a sharing case (§4.1)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}},
        }
    },
)
def sharing_assess(request: HttpRequest) -> Any:
    """Evaluate the case against the rules as on `reference_date` (default today).

    The body is validated by the same code as `ketenwijs share assess`, so the field-level
    messages (with "did you mean" suggestions) are the CLI's. Nothing is stored.

    Scope: `sharing`.
    """
    case = _read_case(request)
    if not isinstance(case, Case):
        return case
    try:
        assessment = evaluate(case, load_rulebook(), explain=True)
    except VersionError as exc:
        return _no_version("reference_date", exc)
    return assessment.to_dict()


@sharing.post(
    "/compare",
    response={200: ComparisonOut, **BODY_ERRORS},
    exclude_unset=True,
    url_name="sharing_compare",
    summary="Assess a sharing case on two reference dates and show what changed",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}},
        }
    },
)
def sharing_compare(
    request: HttpRequest,
    compare_date: dt.date = Query(  # noqa: B008 - ninja declares query parameters this way
        ..., description="Date B (YYYY-MM-DD); date A is the case's `reference_date` or today."
    ),
) -> Any:
    """Assess the case as on its `reference_date` (A, default today) and as on `compare_date` (B).

    Per check: the status on each date, whether it changed and why (the dated parameter with its
    value on each date, the rule-set version and its sources, or the check it depends on), plus
    both complete assessments. As `ketenwijs share assess --compare-date`. Nothing is stored.

    Scope: `sharing`.
    """
    rulebook = load_rulebook()
    try:
        rulebook.version_for(compare_date)
    except VersionError as exc:
        return _no_version("compare_date", exc)
    case = _read_case(request)
    if not isinstance(case, Case):
        return case
    first = case.reference_date or dt.date.today()
    try:
        comparison = compare_dates(case, rulebook, first, compare_date)
    except VersionError as exc:
        return _no_version("reference_date", exc)
    return comparison.to_dict()


def _read_case(request: HttpRequest) -> Case | Status:
    """Parse the body as a §4.1 case with the CLI's validation; a 400 or 422 answer if not."""
    try:
        data = load_json(request.body.decode("utf-8"), API_JSON_LIMITS)
    except (JsonInputError, UnicodeDecodeError) as exc:
        return Status(
            400,
            {
                "detail": "The body is not valid JSON.",
                "errors": [{"field": "(body)", "message": str(exc)[:300]}],
            },
        )
    try:
        return Case.from_dict(data)
    except CaseError as exc:
        errors = [{"field": e.field, "message": e.message} for e in exc.errors]
        return Status(
            422, {"detail": "The case is invalid; see errors per field.", "errors": errors}
        )


def _no_version(field: str, exc: VersionError) -> Status:
    return Status(
        422,
        {
            "detail": "No rule-set version covers the reference date.",
            "errors": [{"field": field, "message": str(exc)}],
        },
    )


@sharing.get(
    "/rulesets",
    response={200: RulesetListOut, **ERRORS},
    url_name="sharing_rulesets",
    summary="List the rule sets with their dated versions",
)
def sharing_rulesets(request: HttpRequest) -> Any:
    """The rule set, its versions (the law as it stood between two dates) and its SHA-256.

    Scope: `sharing`.
    """
    rulebook = load_rulebook()
    return {
        "rulesets": [
            {
                "id": rulebook.id,
                "title": {"nl": rulebook.title.nl, "en": rulebook.title.en},
                "sha256": rulebook.sha256,
                "versions": [
                    {
                        "id": v.version.id,
                        "valid_from": v.version.valid_from,
                        "valid_until": v.version.valid_until,
                        "label": {"nl": v.version.label.nl, "en": v.version.label.en},
                    }
                    for v in rulebook.versions
                ],
            }
        ]
    }


# -- Signaleren and the privacy guard ----------------------------------------------------------
signals = Router(tags=["signals"], auth=ApiTokenAuth(Scope.SIGNALS))


@signals.post(
    "/scan",
    response={200: ScanOut, **BODY_ERRORS},
    exclude_unset=True,
    url_name="signals_scan",
    summary="Scan a text for signals of exploitation (§4.2)",
)
def signals_scan(request: HttpRequest, payload: ScanIn) -> Any:
    """Find indicators with their context (affirmed, negated, ...) in memory; nothing is stored.

    Scope: `signals`.
    """
    return scan_text(payload.text, minor=payload.minor, doc_id=payload.id).to_dict()


privacy = Router(tags=["privacy"], auth=ApiTokenAuth(Scope.PRIVACY))


@privacy.post(
    "/check",
    response={200: PrivacyOut, **BODY_ERRORS},
    url_name="privacy_check",
    summary="Check a text for personal data (§4.3)",
)
def privacy_check(request: HttpRequest, payload: PrivacyIn) -> Any:
    """Run the privacy guard the web forms use; `found` is what the CLI's exit code 1 means.

    Scope: `privacy`.
    """
    hits = [hit.to_dict() for hit in check_text(payload.text)]
    return {"found": bool(hits), "count": len(hits), "hits": hits}


# -- Verantwoorden (read only) -----------------------------------------------------------------
decisions = Router(tags=["decisions"], auth=ApiTokenAuth(Scope.DECISIONS_READ))


@decisions.get(
    "",
    response={200: DecisionPage, **ERRORS, 422: ErrorOut},
    url_name="decision_list",
    summary="List the organisation's decisions, oldest first, paged and filtered",
)
def decision_list(request: HttpRequest, filters: Query[DecisionFilter]) -> Any:
    """The decisions the token's creator may see (an auditor: the organisation's log; others:
    their own; never another organisation's), filtered as the web list filters.

    Scope: `decisions:read`.
    """
    organisation_id = token_of(request).organisation_id
    colleagues = User.objects.filter(organisation_id=organisation_id)
    data = {
        key: str(value)
        for key, value in filters.model_dump(exclude={"limit", "offset", "user"}).items()
        if value is not None
    }
    if filters.user is not None:
        colleague = colleagues.filter(username=filters.user).first()
        if colleague is None:
            message = "no user with this username in your organisation"
            return Status(
                422,
                {
                    "detail": "The request is invalid; see errors per field.",
                    "errors": [{"field": "user", "message": message}],
                },
            )
        data["user"] = str(colleague.pk)
    with translation.override("en"):
        form = LogFilterForm(data, organisation_users=colleagues)
        if not form.is_valid():
            errors = [
                {"field": field, "message": str(message)}
                for field, messages in form.errors.items()
                for message in messages
            ]
            return Status(
                422, {"detail": "The request is invalid; see errors per field.", "errors": errors}
            )
    records = form.apply(token_records(token_of(request)))
    records = records.order_by("sequence")
    page = records[filters.offset : filters.offset + filters.limit]
    return {
        "count": records.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "records": [r.export_dict() for r in page],
    }


@decisions.get(
    "/{sequence}",
    response={200: DecisionOut, **ERRORS, 404: ErrorOut, 422: ErrorOut},
    url_name="decision_detail",
    summary="One decision of the organisation, by its sequence number",
)
def decision_detail(request: HttpRequest, sequence: int = Path(..., ge=1, le=MAX_SEQUENCE)) -> Any:
    """404 when the token may not read a record with this number (whoever else might).

    Scope: `decisions:read`.
    """
    record = token_records(token_of(request)).filter(sequence=sequence).first()
    if record is None:
        raise Http404
    return record.export_dict()


api.add_router("/sharing", sharing)
api.add_router("/signals", signals)
api.add_router("/privacy", privacy)
api.add_router("/decisions", decisions)
