"""The staff intranet: chat page with sources and scores, feedback export, latest evaluation report."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from assistant.api.deps import STAFF_AUTH_RESPONSES, FeedbackDep, ServicesDep, SettingsDep, require_staff
from assistant.api.errors import ApiError
from assistant.api.routes.ask import ANSWER_ERRORS, STREAM_RESPONSES, answer_in_session, start_stream
from assistant.api.routes.common import error_doc, to_response
from assistant.api.routes.feedback import FEEDBACK_UNAVAILABLE
from assistant.api.schemas import AskRequest, StaffAnswerResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "staff"
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$")

router = APIRouter(
    prefix="/staff", tags=["staff"], dependencies=[Depends(require_staff)], responses=STAFF_AUTH_RESPONSES
)

HTML_DOC = {"content": {"text/html": {"schema": {"type": "string"}}}}


@router.get(
    "",
    response_class=HTMLResponse,
    responses={200: {"description": "The staff chat page.", **HTML_DOC}},
    summary="Staff chat page",
)
async def staff_page() -> HTMLResponse:
    """The staff chat: ask, see full cited passages with retrieval scores, rate answers."""
    return HTMLResponse((STATIC_DIR / "index.html").read_text(encoding="utf-8"))


@router.get(
    "/static/{name}",
    response_class=FileResponse,
    responses={
        200: {
            "description": "A script or style sheet of the staff page.",
            "content": {
                "text/javascript": {"schema": {"type": "string"}},
                "text/css": {"schema": {"type": "string"}},
            },
        },
        404: error_doc("No such file."),
    },
    summary="Staff page assets",
)
async def staff_static(name: Annotated[str, PathParam(max_length=100)]) -> FileResponse:
    """The staff page's JS and CSS."""
    path = STATIC_DIR / name
    if not _SAFE_NAME.match(name) or path.suffix not in (".js", ".css") or not path.is_file():
        raise ApiError(404, "Datoteka ne obstaja.")
    return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix])


@router.post("/api/ask", response_model=StaffAnswerResponse, responses=ANSWER_ERRORS, summary="Ask (staff view)")
async def staff_ask(body: AskRequest, services: ServicesDep, request: Request) -> StaffAnswerResponse:
    """Answer with what staff need to judge it: the retrieval query and the verifier's decisions."""
    answer, session_id = await answer_in_session(body, services, request)
    response = to_response(answer, session_id, staff=True)
    assert isinstance(response, StaffAnswerResponse)
    return response


@router.post(
    "/api/ask/stream",
    response_class=Response,
    response_model=None,
    responses=STREAM_RESPONSES,
    summary="Ask (staff view), streaming",
)
async def staff_ask_stream(body: AskRequest, services: ServicesDep, request: Request) -> Response:
    """Like ``/api/ask/stream``, with the staff view of the final answer."""
    return await start_stream(services, body, request, staff=True)


@router.get(
    "/feedback.csv",
    response_class=Response,
    responses={
        200: {
            "description": "Every feedback entry as CSV (UTF-8 with BOM for spreadsheets).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **FEEDBACK_UNAVAILABLE,
    },
    summary="Export feedback",
)
async def feedback_csv(store: FeedbackDep) -> Response:
    """All feedback as CSV, oldest first."""
    text = await run_in_threadpool(store.to_csv)
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="feedback.csv"'},
    )


def _plots(directory: Path) -> list[Path]:
    try:
        return sorted(p for p in directory.glob("*.png") if p.is_file() and _SAFE_NAME.match(p.name))
    except OSError:
        return []


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="sl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        '<link rel="stylesheet" href="/staff/static/staff.css"></head>'
        f'<body class="report"><header><h1>{html.escape(title)}</h1>'
        '<nav><a href="/staff">Klepet</a> · '
        '<a href="/staff/feedback.csv">Izvoz odzivov (CSV)</a></nav></header>'
        f"<main>{body}</main></body></html>"
    )


@router.get(
    "/eval",
    response_class=HTMLResponse,
    responses={
        200: {"description": "The latest evaluation report.", **HTML_DOC},
        404: {"description": "No report yet (a page saying so).", **HTML_DOC},
    },
    summary="Latest evaluation report",
)
def eval_report(settings: SettingsDep) -> HTMLResponse:
    """``report.md`` of the latest ``assistant eval`` run as preformatted text, with its PNG plots."""
    directory = Path(settings.eval_report_dir)
    report = directory / "report.md"
    plots = _plots(directory)
    try:
        text = report.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    if text is None and not plots:
        body = (
            '<p class="empty">Poročilo evalvacije še ne obstaja. Zaženite <code>assistant eval</code>; '
            f"poročilo bo v <code>{html.escape(str(directory))}</code>.</p>"
        )
        return HTMLResponse(_page("Evalvacija", body), status_code=404)
    parts: list[str] = []
    if text is not None:
        parts.append(f'<pre class="report-text">{html.escape(text)}</pre>')
    else:
        parts.append("<p>Datoteke report.md ni; prikazani so le grafi.</p>")
    for plot in plots:
        name = html.escape(plot.name)
        parts.append(
            f'<figure><img src="/staff/eval/files/{name}" alt="{name}"><figcaption>{name}</figcaption></figure>'
        )
    return HTMLResponse(_page("Evalvacija", "".join(parts)))


@router.get(
    "/eval/files/{name}",
    response_class=FileResponse,
    responses={
        200: {"description": "A plot of the report.", "content": {"image/png": {}}},
        404: error_doc("No such plot."),
    },
    summary="Evaluation plot",
)
def eval_file(name: Annotated[str, PathParam(max_length=100)], settings: SettingsDep) -> Any:
    """One PNG plot of the latest report."""
    directory = Path(settings.eval_report_dir)
    for plot in _plots(directory):
        if plot.name == name:
            return FileResponse(plot, media_type="image/png")
    raise ApiError(404, "Graf ne obstaja.")


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
async def staff_not_found(rest: str) -> Response:
    """Anything else under /staff: 401 before login (like every staff path), 404 after."""
    if not rest:
        return RedirectResponse("/staff", status_code=307)
    raise ApiError(404, "Strani ni mogoče najti.")
