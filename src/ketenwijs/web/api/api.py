"""The `/api/v1/` operations: thin shells over the pure cores, as the CLI is (spec §4.5).

Every answer that is not a 200 is an RFC 9457 problem (`application/problem+json`, see
problems.py) that keeps the v1 members `detail` and `errors: [{"field", "message"}]`; invalid
input lists every problem per field (422), unreadable JSON or an unknown, repeated or ambiguous
query parameter is 400, a missing, unknown or revoked token 401, a token without the operation's
scope 403. The document follows the NL API Design Rules (ADR 0013); a test lints it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from ninja import NinjaAPI, Path, Query, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

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
from ketenwijs.web.api.constants import (
    API_VERSION,
    API_VERSION_HEADER,
    MAX_BODY_BYTES,
    Scope,
)
from ketenwijs.web.api.problems import PROBLEM_CONTENT_TYPE, ProblemError, problem
from ketenwijs.web.api.schemas import (
    AssessmentOut,
    CaseIn,
    ComparisonOut,
    DecisionFilter,
    DecisionOut,
    DecisionPage,
    PrivacyIn,
    PrivacyOut,
    ProblemOut,
    RulesetListOut,
    ScanIn,
    ScanOut,
)
from ketenwijs.web.api.services import token_records
from ketenwijs.web.audit.forms import LogFilterForm
from ketenwijs.web.audit.models import LogEvent
from ketenwijs.web.audit.services import append_event

# Deprecated v1 query key -> its camelCase name (both accepted in v1; the old is not documented
# as a parameter, only in the description, so the document stays camelCase).
QUERY_ALIASES = {"date_from": "dateFrom", "date_to": "dateTo"}

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

Every answer carries `{API_VERSION_HEADER}: {API_VERSION}` (the full version; the path holds only
the major). Every error is an RFC 9457 problem (`application/problem+json`) with `type`,
`title`, `status` and `detail`, plus the v1 list `errors` (`field`, `message`) and, when a field
or parameter is at fault, `invalid-params` (`name`, `reason`). Invalid values are 422 (as since
1.0.0); unreadable JSON and an unknown, repeated or ambiguous query parameter are 400.
Deprecated in 1.1.0 and still accepted throughout v1: the query keys `date_from` and `date_to`
of `GET /decisions` (use `dateFrom` and `dateTo`).
"""

# The response header of /core/version-header, documented on every answer.
VERSION_HEADER_DOC = {
    "description": "The full version of the API (semantic versioning).",
    "schema": {"type": "string", "example": API_VERSION},
}


# JSON bodies: nesting, number length and duplicate keys are bounded before parsing (the body
# size is bounded before it is read, in urls.logged).
API_JSON_LIMITS = JsonLimits(max_chars=MAX_BODY_BYTES, max_depth=20, max_number_chars=40)


class BoundedParser(Parser):
    """ninja's JSON parser with the same bounds as every other JSON the service reads; query
    keys under their deprecated v1 names are read as their camelCase names."""

    def parse_body(self, request: HttpRequest) -> Any:
        return load_json(request.body.decode("utf-8"), API_JSON_LIMITS)

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        for old, camel in QUERY_ALIASES.items():
            if old in result and camel not in result:  # both: refused earlier (urls.logged)
                result[camel] = result.pop(old)
        return result


class KetenwijsAPI(NinjaAPI):
    """NinjaAPI whose document also names the case schema that `sharing/assess` reads itself."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        # Paths relative to the server URL `/api/v1` (/core/uri-version: the major version
        # is in the server URL, and the document says where it is served).
        kwargs["path_prefix"] = ""
        schema = super().get_openapi_schema(**kwargs)
        case = CaseIn.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema["components"]["schemas"]
        for name, definition in case.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault("Case", case)
        schema["components"]["headers"] = {API_VERSION_HEADER: VERSION_HEADER_DOC}
        schema["info"]["contact"] = _contact()
        schema["servers"] = [{"url": "/api/v1", "description": "This installation of Ketenwijs."}]
        for operations in schema["paths"].values():
            for operation in operations.values():
                for code, response in operation["responses"].items():
                    response["headers"] = {
                        API_VERSION_HEADER: {"$ref": f"#/components/headers/{API_VERSION_HEADER}"}
                    }
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


def _contact() -> dict[str, str]:
    """Who answers questions about this installation's API (KETENWIJS_CONTACT_EMAIL)."""
    from django.conf import settings

    email = settings.KETENWIJS_CONTACT_EMAIL
    return {"name": "Ketenwijs API beheer", "email": email, "url": f"mailto:{email}"}


api = KetenwijsAPI(
    title="Ketenwijs API",
    version=API_VERSION,
    description=DESCRIPTION,
    urls_namespace="api",
    parser=BoundedParser(),
    docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
)

# 400: every operation refuses an unknown, repeated or ambiguous query parameter (urls.logged).
ERRORS: dict[int, Any] = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 429: ProblemOut}
BODY_ERRORS: dict[int, Any] = {**ERRORS, 413: ProblemOut, 422: ProblemOut}


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path"}:
        parts = parts[1:]
        if parts and parts[0] in {"payload", "filters"}:  # the view's parameter name
            parts = parts[1:]
    return ".".join(parts) or "(body)"


def _sent_name(request: HttpRequest, name: str) -> str:
    """Name a query key as the client sent it: `dateFrom`, or its deprecated alias `date_from`."""
    old = next((o for o, camel in QUERY_ALIASES.items() if camel == name), None)
    return old if old is not None and old in request.GET else name


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _sent_name(request, _field(e.get("loc", ()))), "message": str(e["msg"])}
        for e in exc.errors
    ]
    return problem(422, "The request is invalid; see errors per field.", errors)


@api.exception_handler(ProblemError)
def _problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
    return problem(exc.status, exc.detail, exc.errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = problem(401, "Send a valid, unrevoked API token: Authorization: Bearer kw_…")
        response["WWW-Authenticate"] = 'Bearer realm="ketenwijs"'
        return response
    return problem(exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "Not found.")


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
    try:
        assessment = evaluate(case, load_rulebook(), explain=True)
    except VersionError as exc:
        _no_version("reference_date", exc)
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
        ...,
        alias="compareDate",
        description="Date B (YYYY-MM-DD); date A is the case's `reference_date` or today.",
    ),
) -> Any:
    """Assess the case as on its `reference_date` (A, default today) and as on `compareDate` (B).

    Per check: the status on each date, whether it changed and why (the dated parameter with its
    value on each date, the rule-set version and its sources, or the check it depends on), plus
    both complete assessments. As `ketenwijs share assess --compare-date`. Nothing is stored.

    Scope: `sharing`.
    """
    rulebook = load_rulebook()
    try:
        rulebook.version_for(compare_date)
    except VersionError as exc:
        _no_version("compareDate", exc)
    case = _read_case(request)
    first = case.reference_date or dt.date.today()
    try:
        comparison = compare_dates(case, rulebook, first, compare_date)
    except VersionError as exc:
        _no_version("reference_date", exc)
    return comparison.to_dict()


def _read_case(request: HttpRequest) -> Case:
    """Parse the body as a §4.1 case with the CLI's validation; a 400 or 422 problem if not."""
    try:
        data = load_json(request.body.decode("utf-8"), API_JSON_LIMITS)
    except (JsonInputError, UnicodeDecodeError) as exc:
        raise ProblemError(
            400,
            "The body is not valid JSON.",
            [{"field": "(body)", "message": str(exc)[:300]}],
        ) from None
    try:
        return Case.from_dict(data)
    except CaseError as exc:
        errors = [{"field": e.field, "message": e.message} for e in exc.errors]
        raise ProblemError(422, "The case is invalid; see errors per field.", errors) from None


def _no_version(field: str, exc: VersionError) -> NoReturn:
    raise ProblemError(
        422,
        "No rule-set version covers the reference date.",
        [{"field": field, "message": str(exc)}],
    ) from None


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
    response={200: DecisionPage, **ERRORS, 422: ProblemOut},
    # Keys a record does not have stay absent: the content must re-hash to its content_hash.
    exclude_unset=True,
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
            raise ProblemError(
                422,
                "The request is invalid; see errors per field.",
                [{"field": "user", "message": message}],
            )
        data["user"] = str(colleague.pk)
    with translation.override("en"):
        form = LogFilterForm(data, organisation_users=colleagues)
        if not form.is_valid():
            errors = [
                {
                    "field": _sent_name(request, QUERY_ALIASES.get(field, field)),
                    "message": str(message),
                }
                for field, messages in form.errors.items()
                for message in messages
            ]
            raise ProblemError(422, "The request is invalid; see errors per field.", errors)
    token = token_of(request)
    records = form.apply(token_records(token))
    records = records.order_by("sequence")
    page = [r.export_dict() for r in records[filters.offset : filters.offset + filters.limit]]
    # One log record per read (issue 14): which token read how many, with which filters.
    append_event(
        token.organisation_id, LogEvent.Kind.LOG_EXPORTED, actor=token.created_by,
        details={
            "via": "api", "token_id": token.pk, "count": len(page), "offset": filters.offset,
            "filters": {k: str(v) for k, v in form.cleaned_data.items() if v not in (None, "")},
        },
    )  # fmt: skip
    return {
        "count": records.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "records": page,
    }


@decisions.get(
    "/{sequence}",
    response={200: DecisionOut, **ERRORS, 404: ProblemOut, 422: ProblemOut},
    exclude_unset=True,
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
    token = token_of(request)
    append_event(
        record.organisation_id, LogEvent.Kind.DECISION_VIEWED, actor=token.created_by,
        decision=record.sequence, details={"via": "api", "token_id": token.pk},
    )  # fmt: skip
    return record.export_dict()


api.add_router("/sharing", sharing)
api.add_router("/signals", signals)
api.add_router("/privacy", privacy)
api.add_router("/decisions", decisions)
