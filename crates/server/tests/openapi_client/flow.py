"""Drives a live server through the Python client generated from its /openapi.json.

Usage: flow.py CLIENT_PARENT BASE_URL API_KEY SERVER_HASH PDF BANK FROM_DATE TO_DATE
Prints one JSON line summarising what the typed models decoded.
"""

import json
import sys
import time

sys.path.insert(0, sys.argv[1])

import httpx  # noqa: E402
from bankconnect_client import Client  # noqa: E402
from bankconnect_client.api.banks import get_banks_catalogue as catalogue_api  # noqa: E402
from bankconnect_client.api.service import get_healthz as healthz_api  # noqa: E402
from bankconnect_client.api.session_flow import (  # noqa: E402
    delete_session_data_by_session_id_delete as delete_api,
    get_session_data_by_session_id_get_pdfs as pdfs_api,
    get_session_data_by_session_id_predictors as predictors_api,
    get_session_data_by_session_id_session_upload_status as upload_status_api,
    get_session_data_by_session_id_xlsx_report as reports_api,
    get_session_data_by_session_id_identity as identity_api,
    get_session_data_by_session_id_insights as insights_api,
    get_session_data_by_session_id_progress as progress_api,
    get_session_data_by_session_id_transactions as transactions_api,
    get_session_data_by_session_id_session_status as status_api,
    post_session,
    post_session_data_by_session_id_initiate_processing as initiate_api,
    post_statement_upload_session as upload_api,
)
from bankconnect_client.models import (  # noqa: E402
    CatalogueResponse,
    CreateSessionRequest,
    CreateSessionResponse,
    DeleteSessionResponse,
    ErrorResponse,
    GetPdfsResponse,
    IdentityResponse,
    InitiateProcessingResponse,
    InsightsResponse,
    ProgressResponse,
    SectionResponse,
    ServiceStatus,
    SessionReportsResponse,
    SessionStatusResponse,
    SessionUploadStatusResponse,
    TransactionsResponse,
    UploadSessionForm,
    UploadSessionResponse,
)
from bankconnect_client.types import File  # noqa: E402


def main() -> None:
    base, key, server_hash, pdf, bank, from_date, to_date = sys.argv[2:9]
    client = Client(
        base_url=base,
        headers={"x-api-key": key, "server-hash": server_hash},
        timeout=httpx.Timeout(60.0),
        raise_on_unexpected_status=True,
    )
    created = post_session.sync(
        client=client,
        body=CreateSessionRequest(
            link_id="openapi-client", from_date=from_date, to_date=to_date
        ),
    )
    assert isinstance(created, CreateSessionResponse), created
    session_id = created.session_id
    with open(pdf, "rb") as payload:
        uploaded = upload_api.sync(
            client=client,
            body=UploadSessionForm(
                session_id=session_id,
                file=File(
                    payload=payload,
                    file_name="statement.pdf",
                    mime_type="application/pdf",
                ),
                bank_name=bank,
            ),
        )
    assert isinstance(uploaded, UploadSessionResponse), uploaded
    started = initiate_api.sync(session_id=session_id, client=client)
    assert isinstance(started, InitiateProcessingResponse), started
    progress = None
    for _ in range(600):
        progress = progress_api.sync(session_id=session_id, client=client)
        assert isinstance(progress, ProgressResponse), progress
        if progress.session_progress == "completed":
            break
        time.sleep(0.1)
    status = None
    for _ in range(600):
        status = status_api.sync(session_id=session_id, client=client)
        if isinstance(status, SessionStatusResponse) and status.insights_available:
            break
        # Until processing ends the documented answer is 400 PROCESSING_NOT_COMPLETED.
        assert isinstance(status, (SessionStatusResponse, ErrorResponse)), status
        time.sleep(0.1)
    assert isinstance(status, SessionStatusResponse), status
    insights = insights_api.sync(session_id=session_id, client=client)
    assert isinstance(insights, InsightsResponse), insights
    identity = identity_api.sync(session_id=session_id, client=client)
    assert isinstance(identity, IdentityResponse), identity
    listed = transactions_api.sync(session_id=session_id, client=client)
    assert isinstance(listed, TransactionsResponse), listed
    pdfs = pdfs_api.sync(session_id=session_id, client=client)
    assert isinstance(pdfs, GetPdfsResponse), pdfs
    upload_status = upload_status_api.sync(session_id=session_id, client=client)
    assert isinstance(upload_status, SessionUploadStatusResponse), upload_status
    predictors = predictors_api.sync(session_id=session_id, client=client)
    assert isinstance(predictors, SectionResponse), predictors
    reports = reports_api.sync(session_id=session_id, client=client)
    assert isinstance(reports, SessionReportsResponse), reports
    catalogue = catalogue_api.sync(client=client)
    assert isinstance(catalogue, CatalogueResponse), catalogue
    health = healthz_api.sync(client=client)
    assert isinstance(health, ServiceStatus), health
    deleted = delete_api.sync(session_id=session_id, client=client)
    assert isinstance(deleted, DeleteSessionResponse), deleted
    account = insights.accounts[0]
    print(
        json.dumps(
            {
                "session_id": insights.session_id,
                "statement_id": uploaded.statement_id,
                "upload_bank": uploaded.bank_name,
                "account_status": status.accounts[0].account_status,
                "accounts": len(insights.accounts),
                "bank": account.data.account_details.bank,
                "transactions": len(account.data.transactions),
                "first_amount": account.data.transactions[0].amount,
                "statement_stats": len(account.data.statement_stats),
                "progress": [p.processing_status for p in progress.progress],
                "identity_bank": identity.identity[0].bank_name,
                "listed_transactions": len(listed.accounts[0].transactions),
                "aggregate_metrics": len(
                    insights.aggregate_monthly_analysis.additional_properties
                ),
                "pdf_sources": [p.source for p in pdfs.statements],
                "pdf_message": pdfs.statements[0].message,
                "upload_status": upload_status.upload_status,
                "upload_status_months": len(upload_status.accounts[0].months),
                "predictor_sections": sorted(
                    predictors.accounts[0].data.additional_properties
                ),
                "report_accounts": [r.account_id for r in reports.reports],
                "catalogue_count": catalogue.count,
                "catalogue_has_bank": any(
                    b.name == uploaded.bank_name.upper() for b in catalogue.banks
                ),
                "health": health.status,
                "deleted": deleted.message,
            }
        )
    )


if __name__ == "__main__":
    main()
