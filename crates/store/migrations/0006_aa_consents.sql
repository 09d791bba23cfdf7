-- Recurring (PERIODIC) Account Aggregator consents, kept so the lender can pull again after the
-- session that obtained them (account_aggregator/fetch_recurring_aa_data/). Times in ms.
CREATE TABLE aa_consents (
    consent_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    -- The session whose journey obtained the consent (get_recurring_consent_details/).
    session_id TEXT NOT NULL REFERENCES sessions(id),
    bank_name TEXT,
    masked_account_number TEXT,
    tenure_month_count BIGINT,
    frequency_unit TEXT NOT NULL,
    frequency_value BIGINT NOT NULL,
    -- ReBIT unit/value the consent was signed with: the AA counts uses by these.
    aa_frequency_unit TEXT NOT NULL,
    aa_frequency_value BIGINT NOT NULL,
    fi_data_from BIGINT NOT NULL,
    fi_data_to BIGINT NOT NULL,
    consent_expiry BIGINT NOT NULL,
    -- Frequency accounting: the calendar unit being counted (e.g. 2026-12-05 for DAY) and the
    -- FI requests made in it. One row per consent, so a conditional UPDATE claims a use
    -- atomically on both engines.
    period TEXT NOT NULL,
    period_uses BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX aa_consents_by_session ON aa_consents (client_id, session_id);

-- One row per recurring pull: the new session created under the consent.
CREATE TABLE aa_consent_pulls (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    consent_id TEXT NOT NULL REFERENCES aa_consents(consent_id),
    fi_from BIGINT NOT NULL,
    fi_to BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX aa_consent_pulls_by_consent ON aa_consent_pulls (consent_id);
