// The hosted upload journey. Plain browser JavaScript, no dependencies: it is served by the
// ledgerlens binary itself. The link's session_id and token authenticate every call.
(function () {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var auth = 'session_id=' + encodeURIComponent(params.get('session_id') || '') +
    '&token=' + encodeURIComponent(params.get('token') || '');
  var inFrame = window.parent && window.parent !== window;
  // The Android WebView interface of the BankConnect JS docs (session-flow/javascript.md).
  var android = window.BankConnectAndroid || null;
  var embedded = inFrame || !!android;

  var session = null;
  var banks = [];
  var bank = null; // {id, name}
  var files = [];  // {file, bank, el, state: 'queued'|'uploading'|'ok'|'failed'|'password', password}
  var busy = false;
  var missingConfirmed = false; // the borrower chose to submit with months missing

  function $(id) { return document.getElementById(id); }

  // Messages a borrower can act on, for every code the upload API answers.
  function errorMessage(code, serverMessage, item) {
    var period = session && session.from_date && session.to_date
      ? ' (' + session.from_date + ' to ' + session.to_date + ')' : '';
    switch (code) {
      case 'PASSWORD_INCORRECT':
        return item && item.password
          ? 'That password is not correct. Please try again.'
          : 'This PDF is password-protected. Enter its password to continue.';
      case 'PDF_IS_IMAGE':
        return 'This PDF is a scanned image. Please upload the statement downloaded from your net banking.';
      case 'STATEMENT_UNSUPPORTED_FORMAT':
        return 'We could not read this statement. Please upload the original PDF from your bank.';
      case 'STATEMENT_NO_TRANSACTIONS':
        return 'No transactions were found in this statement.';
      case 'BANK_NAME_UNDETECTED':
        return 'We could not tell which bank this statement is from. Please select your bank.';
      case 'BANK_NAME_MISMATCH':
        return (serverMessage || 'This statement is from a different bank') + '. Please check the bank you selected.';
      case 'OUT_OF_DATE_RANGE':
        return 'This statement has no transactions in the period we need' + period + '.';
      case 'STATEMENT_DUPLICATE':
        return 'You have already uploaded this statement.';
      case 'INVALID_FILE_OBJECT':
      case 'EMPTY_FILE':
      case 'EXTRACTION_FAILED':
        return 'This file is not a readable PDF statement.';
      case 'MISSING_FILE_OBJECT':
        return 'No file was received. Please try again.';
      case 'FILE_TOO_LARGE':
      case 'PAYLOAD_TOO_LARGE':
        return 'This file is too large.';
      case 'STATEMENT_TOO_MANY_PAGES':
        return 'This statement has too many pages. Please upload a shorter period.';
      case 'INVALID_BANK_NAME':
        return 'This bank is not supported yet.';
      case 'ACCOUNT_MISMATCH':
        return 'This statement belongs to a different account.';
      case 'SESSION_EXPIRED':
        return serverMessage || 'This upload link has expired.';
      case 'SESSION_NOT_FOUND':
      case 'SESSION_DELETED':
      case 'INVALID_LINK':
        return 'This link is no longer valid. Please ask for a new one.';
      case 'TRIAL_PERIOD_EXPIRED':
        return 'Uploads are not available right now. Please contact the lender.';
      case 'NETWORK':
        return 'The upload did not go through. Check your connection and try again.';
      default:
        return serverMessage || 'Something went wrong. Please try again.';
    }
  }

  // The error_type of the documented iframe events.
  function errorType(code) {
    return {
      TRIAL_PERIOD_EXPIRED: 'MU002',
      PASSWORD_INCORRECT: 'MU003',
      BANK_NAME_MISMATCH: 'MU004',
      PDF_IS_IMAGE: 'MU006',
      INVALID_FILE_OBJECT: 'MU006',
      EMPTY_FILE: 'MU006',
      EXTRACTION_FAILED: 'MU006',
      OUT_OF_DATE_RANGE: 'MU021'
    }[code] || 'MU020';
  }

  // Android callbacks per status; onResult receives every event.
  var ANDROID_CALLBACKS = { success: 'onSuccess', exit: 'onExit', error: 'onError', info: 'onInfo' };

  function notify(status, payload) {
    var linkId = session ? session.link_id : null;
    var body = Object.assign({ linkId: linkId }, payload || {});
    var event = { type: 'finbox-bankconnect', status: status, payload: body };
    if (inFrame) window.parent.postMessage(event, '*');
    if (android) {
      // A Java interface takes strings: each callback gets its JSON.
      var callback = ANDROID_CALLBACKS[status];
      try {
        if (callback && typeof android[callback] === 'function') android[callback](JSON.stringify(body));
        if (typeof android.onResult === 'function') android.onResult(JSON.stringify(event));
      } catch (e) { /* the host app's failure must not break the journey */ }
    }
  }

  function showNotice(text) {
    var notice = $('notice');
    notice.textContent = text;
    notice.hidden = !text;
  }

  function show(step) {
    ['step-bank', 'step-upload', 'step-done'].forEach(function (id) { $(id).hidden = id !== step; });
    var heading = document.querySelector('#' + step + ' h2');
    if (heading) heading.focus();
  }

  function api(path, options) {
    var sep = path.indexOf('?') < 0 ? '?' : '&';
    return fetch('/journey/api/' + path + sep + auth, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var error = (body && body.error) || {};
          throw { code: error.code || 'HTTP_' + response.status, message: error.message };
        }
        return body;
      });
    });
  }

  // ---- bank selection ----

  function renderBanks(filter) {
    var list = $('bank-list');
    list.textContent = '';
    var needle = (filter || '').trim().toLowerCase();
    var shown = banks.filter(function (b) {
      if (!needle) return true;
      var names = [b.name, b.id].concat(b.short_names || []);
      return names.some(function (n) { return n.toLowerCase().indexOf(needle) >= 0; });
    });
    shown.forEach(function (b) {
      var li = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = b.name;
      button.setAttribute('data-bank', b.id);
      button.addEventListener('click', function () { chooseBank(b); });
      li.appendChild(button);
      list.appendChild(li);
    });
    $('bank-empty').hidden = shown.length > 0;
  }

  // Most borrowers bank with one of a handful of banks: list those first.
  // Catalogue ids (finbox_bank_identifiers.tsv): PNB is pnbbnk, Yes Bank yesbnk, Union Bank ubi.
  var POPULAR = ['sbi', 'hdfc', 'icici', 'axis', 'kotak', 'pnbbnk', 'baroda', 'canara', 'ubi', 'idfc', 'yesbnk', 'indusind'];

  function popularFirst(list) {
    var rank = function (b) {
      var i = POPULAR.indexOf(b.id);
      return i < 0 ? POPULAR.length : i;
    };
    return list.slice().sort(function (a, b) { return rank(a) - rank(b); });
  }

  // A multi_banking session whose bank the lender left open: the borrower may add more banks.
  function multiBank() {
    return !!session && session.journey_mode === 'multi_banking' && !session.bank_name;
  }

  function openBankSelection() {
    // Back to the upload step without changing bank (the borrower clicked "Change bank" or
    // "Add another bank" and changed their mind); statements already uploaded are kept.
    $('bank-back').hidden = !bank;
    $('bank-kept').hidden = !hasSuccess();
    loadBanks().then(function () { renderBanks($('bank-search').value); });
    renderBanks($('bank-search').value);
    show('step-bank');
  }

  var banksLoaded = null;

  function loadBanks() {
    if (!banksLoaded) {
      banksLoaded = api('banks').then(function (body) {
        banks = popularFirst(body.banks || []);
      }).catch(function (e) {
        banksLoaded = null;
        showNotice(errorMessage(e.code, e.message));
      });
    }
    return banksLoaded;
  }

  function bankById(id) {
    return banks.find(function (b) { return b.id === id; }) || null;
  }

  // How borrowers call a bank: its first short name ("SBI"), else its name.
  function shortName(b) {
    return (b.short_names && b.short_names[0]) || b.name;
  }

  function chooseBank(b) {
    bank = b;
    notify('info', { event_name: 'bank_selected', message: b.name });
    openUpload();
  }

  // ---- upload ----

  function openUpload() {
    $('bank-chosen').textContent = bank ? bank.name : '';
    updateActions();
    notify('info', { event_name: 'manual', message: '' });
    show('step-upload');
  }

  function hasSuccess() {
    return files.some(function (f) { return f.state === 'ok'; });
  }

  // A statement of the bank now selected has been accepted.
  function bankHasSuccess() {
    return !!bank && files.some(function (f) { return f.state === 'ok' && f.bank && f.bank.id === bank.id; });
  }

  function isPdf(file) {
    return file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
  }

  function addFiles(list) {
    showNotice('');
    Array.prototype.forEach.call(list, function (file) {
      var item = { file: file, bank: bank, state: 'queued', password: '' };
      renderFile(item);
      files.push(item);
      if (!isPdf(file)) {
        fail(item, 'UNSUPPORTED_FILE', file.name + ' is not a PDF. Only PDF statements can be uploaded.');
      }
    });
    pump();
  }

  function renderFile(item) {
    var el = $('file-item').content.firstElementChild.cloneNode(true);
    item.el = el;
    el.querySelector('.file-name').textContent = item.file.name;
    // Statements of several banks share the list: say which bank each one is from.
    if (multiBank() && item.bank) {
      var bankLine = el.querySelector('.file-bank');
      bankLine.textContent = item.bank.name;
      bankLine.hidden = false;
    }
    var form = el.querySelector('.password-form');
    var input = form.querySelector('input');
    var id = 'pw-' + Math.random().toString(36).slice(2);
    input.id = id;
    form.querySelector('label').setAttribute('for', id);
    // The field is described by the file's error and the bank's password hint.
    el.querySelector('.file-error').id = id + '-error';
    form.querySelector('.password-hint').id = id + '-hint';
    input.setAttribute('aria-describedby', id + '-error ' + id + '-hint');
    el.querySelector('.remove').setAttribute('aria-label', 'Remove file ' + item.file.name);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      item.password = input.value;
      item.state = 'queued';
      form.hidden = true;
      pump();
    });
    el.querySelector('.remove').addEventListener('click', function () {
      files = files.filter(function (f) { return f !== item; });
      el.remove();
      $('browse').focus();
      updateActions();
    });
    el.querySelector('.switch-bank').addEventListener('click', function () {
      var detected = item.detected;
      if (!detected) return;
      bank = detected;
      item.bank = detected;
      item.state = 'queued';
      el.querySelector('.switch-bank').hidden = true;
      $('bank-chosen').textContent = detected.name;
      notify('info', { event_name: 'bank_selected', message: detected.name });
      pump();
    });
    $('file-list').appendChild(el);
    setStatus(item, 'Waiting…');
  }

  function setStatus(item, text) {
    item.el.querySelector('.file-status').textContent = text;
  }

  function setProgress(item, percent) {
    var bar = item.el.querySelector('.file-progress');
    bar.hidden = percent === null;
    if (percent !== null) bar.value = percent;
  }

  var GENERIC_PASSWORD_HINT = 'The password is set by your bank: see the e-mail or page the statement came from.';

  // The bank's own hint comes with the bank list, which a slow network may still be loading
  // when the server asks for the password: show the general hint, then the bank's once known.
  function showPasswordHint(hint, bank) {
    var known = bank && bankById(bank.id);
    hint.textContent = (known && known.password_hint) || GENERIC_PASSWORD_HINT;
    if (!bank || known) return;
    Promise.resolve(loadBanks()).then(function () {
      var loaded = bankById(bank.id);
      if (loaded && loaded.password_hint) hint.textContent = loaded.password_hint;
    });
  }

  function fail(item, code, message) {
    item.state = code === 'PASSWORD_INCORRECT' ? 'password' : 'failed';
    item.el.className = 'file ' + (item.state === 'password' ? 'locked' : 'failed');
    setProgress(item, null);
    var error = item.el.querySelector('.file-error');
    error.textContent = message;
    error.hidden = false;
    var form = item.el.querySelector('.password-form');
    form.hidden = item.state !== 'password';
    // A file waiting for its password can be dropped too (the borrower may not know it).
    item.el.querySelector('.remove').hidden = false;
    if (item.state === 'password') {
      setStatus(item, 'Password needed');
      showPasswordHint(form.querySelector('.password-hint'), item.bank);
      var input = form.querySelector('input');
      input.value = '';
      input.focus();
    } else {
      setStatus(item, 'Not accepted');
    }
    updateActions();
  }

  // BANK_NAME_MISMATCH: name the bank the statement looks like, and offer to switch to it.
  function explainMismatch(item, detectedId) {
    var detected = detectedId && bankById(detectedId);
    if (!detected) return null;
    var looksLike = 'This looks like ' + article(shortName(detected)) + ' ' + shortName(detected) + ' statement';
    var expected = item.bank ? item.bank.name : 'the bank you selected';
    // The lender fixed the bank, or this one-bank journey already holds a statement of it.
    if (session.bank_name || (bankHasSuccess() && !multiBank())) {
      return looksLike + ', not ' + expected + '. Please upload your ' + expected + ' statement.';
    }
    item.detected = detected;
    var button = item.el.querySelector('.switch-bank');
    button.textContent = 'Switch to ' + detected.name;
    button.hidden = false;
    return looksLike + ' \u2014 switch bank?';
  }

  // "an SBI", "an HDFC", "a PNB", "an Axis": initialisms are spelled out letter by letter.
  function article(name) {
    var initialism = name === name.toUpperCase();
    var vowelSound = initialism ? 'AEFHILMNORSX' : 'AEIOU';
    return vowelSound.indexOf(name.charAt(0).toUpperCase()) >= 0 ? 'an' : 'a';
  }

  function succeed(item) {
    item.state = 'ok';
    item.el.className = 'file ok';
    item.el.querySelector('.file-error').hidden = true;
    item.el.querySelector('.password-form').hidden = true;
    item.el.querySelector('.remove').hidden = true;
    item.el.querySelector('.switch-bank').hidden = true;
    setProgress(item, null);
    setStatus(item, 'Uploaded');
    updateActions();
  }

  // ---- months still missing ----

  function renderMissing() {
    var months = (session && session.missing_months) || [];
    var line = $('missing');
    if (!months.length || !hasSuccess()) {
      line.hidden = true;
      $('submit').textContent = 'Submit';
      return;
    }
    var names = months.map(function (m) { return m.replace('-', ' '); }).join(', ');
    line.textContent = missingConfirmed
      ? 'Statements for ' + names + ' are still missing. Submit anyway, or upload them first.'
      : 'Still missing: ' + names + '. Please upload statements covering these months.';
    line.hidden = false;
    $('submit').textContent = missingConfirmed ? 'Submit anyway' : 'Submit';
  }

  // After each accepted statement the server says which months are still uncovered.
  function refreshMissing() {
    return api('session').then(function (info) {
      session.missing_months = info.missing_months || [];
      renderMissing();
    }).catch(function () { /* the upload itself succeeded; keep the last answer */ });
  }

  function updateActions() {
    var pending = files.some(function (f) { return f.state === 'queued' || f.state === 'uploading'; });
    $('submit').disabled = busy || pending || !hasSuccess();
    // Once a statement of this bank is in, the bank stays; a multi_banking journey then offers
    // another bank instead.
    var settled = bankHasSuccess();
    $('add-bank').hidden = !(multiBank() && settled);
    $('change-bank').hidden = !!(session && session.bank_name) || settled;
  }

  // Uploads one file at a time: the server parses each PDF as it arrives.
  function pump() {
    updateActions();
    // Files chosen before the session has loaded wait for it (and for its bank): start() pumps.
    if (busy || !session) return;
    var next = files.find(function (f) { return f.state === 'queued'; });
    if (!next) return;
    if (!next.bank) next.bank = bank;
    busy = true;
    upload(next).then(function () {
      busy = false;
      pump();
    });
  }

  function upload(item) {
    item.state = 'uploading';
    item.el.className = 'file';
    item.el.querySelector('.file-error').hidden = true;
    setStatus(item, 'Uploading… 0%');
    setProgress(item, 0);
    updateActions();
    var form = new FormData();
    form.append('file', item.file, item.file.name);
    form.append('upload_type', 'PDF');
    if (item.bank) form.append('bank_name', item.bank.id);
    if (item.password) form.append('pdf_password', item.password);
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/journey/api/upload?' + auth);
      xhr.upload.onprogress = function (event) {
        if (!event.lengthComputable) return;
        var percent = Math.round((event.loaded / event.total) * 100);
        setProgress(item, percent);
        setStatus(item, percent < 100 ? 'Uploading… ' + percent + '%' : 'Reading statement…');
      };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        if (xhr.status >= 200 && xhr.status < 300) {
          succeed(item);
          missingConfirmed = false;
          refreshMissing();
        } else {
          var error = body.error || {};
          var code = error.code || 'HTTP_' + xhr.status;
          var message = errorMessage(code, error.message, item);
          if (code === 'BANK_NAME_MISMATCH') {
            var hint = /detected bank: (\S+)/.exec(xhr.getResponseHeader('x-error-hint') || '');
            message = explainMismatch(item, hint && hint[1]) || message;
          }
          fail(item, code, message);
          notify('error', { reason: error.message || code, error_type: errorType(code) });
        }
        resolve();
      };
      xhr.onerror = function () {
        fail(item, 'NETWORK', errorMessage('NETWORK'));
        resolve();
      };
      xhr.send(form);
    });
  }

  function wireDropzone() {
    var zone = $('dropzone');
    var input = $('file-input');
    $('browse').addEventListener('click', function () { input.click(); });
    input.addEventListener('change', function () {
      addFiles(input.files);
      input.value = '';
    });
    ['dragenter', 'dragover'].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add('dragging');
      });
    });
    ['dragleave', 'drop'].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove('dragging');
      });
    });
    zone.addEventListener('drop', function (event) {
      if (event.dataTransfer && event.dataTransfer.files) addFiles(event.dataTransfer.files);
    });
    // A file dropped outside the zone must not navigate away from the journey.
    window.addEventListener('dragover', function (event) { event.preventDefault(); });
    window.addEventListener('drop', function (event) { event.preventDefault(); });
  }

  // ---- finishing ----

  function redirect(success) {
    var url = session && session.redirect_url;
    if (!url) return false;
    var query = success
      ? 'success=true&session_id=' + encodeURIComponent(session.session_id)
      : 'success=false';
    window.location.assign(url + (url.indexOf('?') < 0 ? '?' : '&') + query);
    return true;
  }

  function finish() {
    if ((session.missing_months || []).length && !missingConfirmed) {
      // Before submitting with months missing, say which, once.
      missingConfirmed = true;
      renderMissing();
      $('missing').focus();
      return;
    }
    if (embedded) {
      notify('success', { sessionId: session.session_id });
      $('done-text').textContent = 'Your statements have been shared.';
      show('step-done');
      return;
    }
    if (!redirect(true)) show('step-done');
  }

  function exit() {
    if (embedded) {
      notify('exit', { message: 'User exited the journey' });
      return;
    }
    if (!redirect(false)) {
      $('done-text').textContent = 'You left without sharing statements. You can close this page.';
      $('done-heading').textContent = 'Upload cancelled';
      show('step-done');
    }
  }

  // ---- start ----

  // Statements accepted before the page was (re)loaded: listed as uploaded, so the borrower can
  // submit them, or add another bank, without uploading them again (which the server refuses
  // as duplicates).
  function restoreUploaded(uploaded) {
    uploaded.forEach(function (u) {
      var item = {
        file: { name: u.file_name || 'Statement' },
        bank: u.bank_name ? { id: u.bank_name, name: u.bank_full_name || u.bank_name.toUpperCase() } : null,
        state: 'ok',
        password: ''
      };
      renderFile(item);
      files.push(item);
      succeed(item);
    });
  }

  function start(info) {
    session = info;
    $('loading').hidden = true;
    if (info.lender_name) {
      $('lender').textContent = 'Requested by ' + info.lender_name;
      $('lender').hidden = false;
    }
    if (info.logo_url) {
      var logo = $('logo');
      // A logo that does not load hides itself rather than show a broken image.
      logo.addEventListener('error', function () { logo.hidden = true; });
      logo.src = info.logo_url;
      logo.alt = 'Logo';
      logo.hidden = false;
    }
    if (info.from_date && info.to_date) {
      $('period-hint').textContent = 'Please upload statements covering ' + info.from_date + ' to ' + info.to_date + '.';
    }
    if (info.closed_reason) {
      showNotice(info.closed_reason);
      return;
    }
    restoreUploaded(info.uploaded || []);
    renderMissing();
    loadBanks();
    if (info.bank_name) {
      bank = { id: info.bank_name, name: info.bank_full_name || info.bank_name.toUpperCase() };
      openUpload();
    } else if (hasSuccess()) {
      // Carry on with the bank of the latest statement.
      files.forEach(function (f) { if (f.bank) bank = f.bank; });
      openUpload();
    } else {
      openBankSelection();
    }
    pump();
  }

  function init() {
    wireDropzone();
    $('bank-search').addEventListener('input', function (event) { renderBanks(event.target.value); });
    $('change-bank').addEventListener('click', function () {
      notify('info', { event_name: 'manual_upload_back', message: '' });
      openBankSelection();
    });
    $('add-bank').addEventListener('click', function () {
      $('bank-search').value = '';
      openBankSelection();
    });
    $('bank-back').addEventListener('click', openUpload);
    $('submit').addEventListener('click', finish);
    $('exit').addEventListener('click', exit);
    api('session').then(start).catch(function (e) {
      $('loading').hidden = true;
      showNotice(errorMessage(e.code, e.message));
      notify('error', { reason: e.message || e.code, error_type: 'MU020' });
    });
  }

  init();
})();
