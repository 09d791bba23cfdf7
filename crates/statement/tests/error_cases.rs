//! Every documented failure yields its BankConnect code, and encrypted or tampered files are
//! handled as the issue requires.

use ledgerlens_fixtures::{
    corrupt_garbage, corrupt_truncated, empty_file, encrypted, generate, image_only,
    not_a_statement, tampered_balance, tampered_metadata, Encryption,
};
use ledgerlens_statement::model::IncompleteEvidence;
use ledgerlens_statement::{parse_pdf, ErrorKind, ParseOptions, StatementError};

fn parse(
    pdf: Vec<u8>,
    password: Option<&str>,
    bank: Option<&str>,
) -> Result<ledgerlens_statement::ParsedStatement, StatementError> {
    let options = ParseOptions {
        password: password.map(str::to_owned),
        expected_bank: bank.map(str::to_owned),
        ..ParseOptions::default()
    };
    parse_pdf(pdf, &options)
}

fn code(result: Result<ledgerlens_statement::ParsedStatement, StatementError>) -> String {
    match result {
        Ok(p) => format!("parsed {} transactions", p.transactions.len()),
        Err(e) => format!("{:?}", e.kind()),
    }
}

#[test]
fn scanned_statement_is_pdf_is_image() {
    let fixture = image_only(3);
    assert_eq!(code(parse(fixture.pdf, None, None)), "PdfIsImage");
}

#[test]
fn unreadable_files_are_invalid_file_object() {
    for fixture in [corrupt_garbage(5), empty_file()] {
        assert_eq!(
            code(parse(fixture.pdf, None, None)),
            "InvalidFile",
            "{}",
            fixture.name
        );
    }
}

#[test]
fn a_letter_is_statement_unsupported_format() {
    let fixture = not_a_statement(1);
    assert_eq!(code(parse(fixture.pdf, None, None)), "UnsupportedFormat");
}

#[test]
fn a_scan_with_a_line_of_text_is_still_an_image() {
    let fixture = ledgerlens_fixtures::image_with_text_header(5);
    assert_eq!(code(parse(fixture.pdf, None, None)), "PdfIsImage");
}

#[test]
fn a_file_cut_short_is_never_reported_as_reconciled() {
    for seed in [9, 10, 11] {
        let fixture = corrupt_truncated(seed).expect("fixture");
        if let Ok(parsed) = parse(fixture.pdf, None, None) {
            assert!(!parsed.reconciliation.reconciled, "seed {seed}");
            assert!(
                parsed
                    .reconciliation
                    .incomplete
                    .iter()
                    .any(|i| i.evidence == IncompleteEvidence::FileCutShort),
                "seed {seed}: {:?}",
                parsed.reconciliation.incomplete
            );
        }
    }
}

/// The last page removed with qpdf: a well-formed file whose page labels ("Page 2 of 3")
/// promise more pages than it holds.
#[test]
fn a_statement_missing_its_last_page_says_so() {
    use ledgerlens_fixtures::layout::PageLabel;
    let mut checked = 0;
    for spec in ledgerlens_fixtures::layouts() {
        if !matches!(
            spec.page_label,
            PageLabel::PageOfTotal | PageLabel::PageSlashTotal
        ) {
            continue;
        }
        let (pdf, _) = generate(spec.name, 3).expect("fixture");
        let dir = std::env::temp_dir();
        let full = dir.join(format!(
            "ll-missing-page-{}-{}.pdf",
            spec.name,
            std::process::id()
        ));
        let cut = dir.join(format!(
            "ll-missing-page-{}-{}-cut.pdf",
            spec.name,
            std::process::id()
        ));
        std::fs::write(&full, &pdf).expect("write");
        let status = std::process::Command::new("qpdf")
            .arg(&full)
            .args(["--pages", ".", "1-r2", "--"])
            .arg(&cut)
            .status()
            .expect("qpdf runs (apt-get install qpdf)");
        let _ = std::fs::remove_file(&full);
        if !status.success() {
            // A one-page statement has no "all but the last" page range.
            let _ = std::fs::remove_file(&cut);
            continue;
        }
        let bytes = std::fs::read(&cut).expect("read");
        let _ = std::fs::remove_file(&cut);
        let parsed = parse(bytes, None, None).expect("the remaining pages parse");
        assert!(!parsed.reconciliation.reconciled, "{}", spec.name);
        assert!(
            parsed
                .reconciliation
                .incomplete
                .iter()
                .any(|i| i.evidence == IncompleteEvidence::PagesMissing),
            "{}: {:?}",
            spec.name,
            parsed.reconciliation.incomplete
        );
        checked += 1;
    }
    assert!(
        checked >= 2,
        "only {checked} layouts print 'Page x of n' over several pages"
    );
}

#[test]
fn truncated_file_never_panics_and_keeps_what_it_can() {
    let fixture = corrupt_truncated(9).expect("fixture");
    // A statement cut short may still yield its first pages; either way the answer is a clear
    // code, not a panic.
    let outcome = code(parse(fixture.pdf, None, None));
    assert!(
        outcome.starts_with("parsed")
            || ["InvalidFile", "UnsupportedFormat", "NoTransactions"].contains(&outcome.as_str()),
        "{outcome}"
    );
}

#[test]
fn every_cipher_opens_with_the_password_and_refuses_without() {
    for method in Encryption::ALL {
        let fixture =
            encrypted("hdfc_classic", 11, method).expect("qpdf encrypts (apt-get install qpdf)");
        let rows = fixture.truth.transactions.len();
        if method.is_owner_only() {
            assert_eq!(
                code(parse(fixture.pdf.clone(), None, None)),
                format!("parsed {rows} transactions"),
                "owner-only opens without a password"
            );
            continue;
        }
        assert_eq!(
            code(parse(fixture.pdf.clone(), None, None)),
            "PasswordIncorrect",
            "{} without password",
            method.name()
        );
        assert_eq!(
            code(parse(fixture.pdf.clone(), Some(""), None)),
            "PasswordIncorrect",
            "{} with empty password",
            method.name()
        );
        assert_eq!(
            code(parse(fixture.pdf.clone(), Some("wrong-password"), None)),
            "PasswordIncorrect",
            "{} wrong password",
            method.name()
        );
        let parsed = parse(fixture.pdf, Some(&fixture.user_password), None)
            .expect("opens with the user password");
        assert_eq!(parsed.transactions.len(), rows, "{}", method.name());
        assert!(parsed.encrypted);
        assert!(parsed.reconciliation.reconciled);
    }
}

#[test]
fn a_file_whose_attachments_alone_are_encrypted_opens_without_a_password() {
    let (pdf, truth) =
        ledgerlens_fixtures::attachments_only_encrypted("hdfc_classic", 12).expect("generates");
    let parsed = parse(pdf, None, None).expect("pages and strings are not encrypted");
    assert_eq!(parsed.transactions.len(), truth.transactions.len());
    assert!(parsed.reconciliation.reconciled);
    assert!(
        parsed.encrypted,
        "the file still carries an /Encrypt dictionary"
    );
}

#[test]
fn missing_and_wrong_password_messages_differ() {
    let fixture = encrypted("sbi_style", 2, Encryption::Aes256).expect("qpdf encrypts");
    let missing = parse(fixture.pdf.clone(), None, None).expect_err("needs a password");
    let wrong = parse(fixture.pdf, Some("nope"), None).expect_err("wrong password");
    assert_eq!(
        (missing.kind(), wrong.kind()),
        (ErrorKind::PasswordIncorrect, ErrorKind::PasswordIncorrect)
    );
    assert_ne!(missing.to_string(), wrong.to_string());
}

#[test]
fn tampered_balance_breaks_the_chain_at_the_edited_rows() {
    for layout in [
        "hdfc_classic",
        "kotak_style",
        "pnb_amount_drcr",
        "baroda_overdraft",
    ] {
        let fixture = tampered_balance(layout, 21).expect("fixture");
        let parsed = parse(fixture.pdf, None, None).expect("still parses");
        let rows: Vec<usize> = parsed.reconciliation.breaks.iter().map(|b| b.row).collect();
        assert!(!parsed.reconciliation.reconciled, "{layout}");
        assert_eq!(rows, fixture.tampered_rows, "{layout}");
        for b in &parsed.reconciliation.breaks {
            assert_eq!(b.hash, parsed.transactions[b.row].hash);
        }
    }
}

#[test]
fn honest_resave_still_reconciles_and_reports_its_metadata() {
    let fixture = tampered_metadata("icici_style", 4).expect("fixture");
    let parsed = parse(fixture.pdf, None, None).expect("parses");
    assert!(parsed.reconciliation.reconciled, "content is intact");
    assert_eq!(parsed.metadata.producer.as_deref(), Some("iLovePDF"));
    let created = parsed
        .metadata
        .creation_date
        .expect("creation date")
        .unix_seconds();
    let modified = parsed
        .metadata
        .modification_date
        .expect("mod date")
        .unix_seconds();
    assert!(
        modified - created > 30 * 86_400,
        "the late ModDate is visible as evidence"
    );
}

#[test]
fn a_statement_of_another_bank_is_bank_name_mismatch() {
    let (pdf, truth) = generate("hdfc_classic", 5).expect("fixture");
    assert_eq!(truth.bank, "hdfc");
    let err = parse(pdf.clone(), None, Some("sbi")).expect_err("hdfc is not sbi");
    assert_eq!(err.kind(), ErrorKind::BankMismatch);
    assert!(
        err.to_string().starts_with("Not sbi bank statement"),
        "{err}"
    );
    // The right bank, in any case, is accepted.
    assert!(parse(pdf, None, Some("HDFC")).is_ok());
}

#[test]
fn bank_is_detected_without_being_told() {
    for layout in [
        "sbi_style",
        "icici_style",
        "axis_style",
        "kotak_style",
        "canara_noheader",
        "union_embedded_font",
    ] {
        let (pdf, truth) = generate(layout, 8).expect("fixture");
        let parsed = parse(pdf, None, None).expect("parses");
        assert_eq!(
            parsed.bank.map(|b| b.bank.id.to_lowercase()),
            Some(truth.bank.clone()),
            "{layout}"
        );
    }
}
