// Amplify v6 MFA and choice-based sign-in against Cognate, with Amplify unchanged: TOTP set up
// inside sign-in (MFA ON) and with setUpTOTP/verifyTOTPSetup (OPTIONAL), SMS_MFA, EMAIL_OTP as a
// second factor, SELECT_MFA_TYPE, and the USER_AUTH flow (SELECT_CHALLENGE, a preferred
// EMAIL_OTP or PASSWORD_SRP first factor). Each test checks the nextStep.signInStep values
// Amplify derives from Cognate's answers and, through recording-proxy.mjs, the wire calls it made.
// TOTP codes come from totp.mjs; SMS and email codes from the outbox (DATA/outbox.jsonl), so
// those tests are skipped against a COGNATE_ENDPOINT without COGNATE_DATA_DIR.
//
// Server: see cognate-server.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn, fetchAuthSession, fetchMFAPreference, getCurrentUser, setUpTOTP, signIn,
  signOut, updateMFAPreference, verifyTOTPSetup,
} from 'aws-amplify/auth';

import { readOutbox, REGION, sleep, startCognate } from './cognate-server.mjs';
import { tokenVerifier, verifyPair } from './jwt-check.mjs';
import { startRecordingProxy } from './recording-proxy.mjs';
import { freshCode, totpCode, wrongCode } from './totp.mjs';

const PASSWORD = 'Passw0rd!';
const PHONE = '+15550142233';
const SNS = { SnsCallerArn: 'arn:aws:iam::000000000000:role/cognate-sms', ExternalId: 'amp' };
const SRP_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const NO_PREFERENCE = { preferred: undefined, enabled: undefined };

let server;
let proxy;
let client;

const unique = (p) => `${p}-${crypto.randomBytes(5).toString('hex')}`;

before(async () => {
  server = await startCognate();
  proxy = await startRecordingProxy(server.endpoint);
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: server.endpoint,
    credentials: server.credentials, maxAttempts: 1 });
});

after(async () => {
  client?.destroy();
  await proxy?.stop();
  await server?.stop();
});

// ---- set-up through the SDK -------------------------------------------------------------------

// A pool (CreateUserPool `create` members), its MFA configuration (`mfa`: mode plus which of
// totp/sms/email are on) and a client with `flows`. Returns { poolId, clientId, verifier }.
async function makePool({ mfa, totp = true, sms = false, email = false, create = {},
  flows = SRP_FLOWS }) {
  const made = await client.send(new CreateUserPoolCommand({ PoolName: unique('amp-mfa'),
    ...create }));
  const poolId = made.UserPool.Id;
  if (mfa) {
    await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: mfa,
      SoftwareTokenMfaConfiguration: { Enabled: totp },
      SmsMfaConfiguration: sms ? { SmsAuthenticationMessage: 'Your sign-in code is {####}',
        SmsConfiguration: SNS } : undefined,
      EmailMfaConfiguration: email ? { Message: 'Your sign-in code: {####}',
        Subject: 'Cognate sign-in' } : undefined }));
  }
  const c = await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId,
    ClientName: 'amplify-mfa', ExplicitAuthFlows: flows }));
  const clientId = c.UserPoolClient.ClientId;
  const verifier = await tokenVerifier(`${server.endpoint}/${poolId}`, clientId);
  return { poolId, clientId, verifier };
}

// A confirmed user with PASSWORD and `attrs`; returns its sub.
async function createUser(p, username, attrs = {}) {
  const out = await client.send(new AdminCreateUserCommand({ UserPoolId: p.poolId,
    Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })) }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: p.poolId, Username: username,
    Password: PASSWORD, Permanent: true }));
  return out.User.Attributes.find((a) => a.Name === 'sub').Value;
}

const adminMfa = (p, username, settings) => client.send(new AdminSetUserMFAPreferenceCommand({
  UserPoolId: p.poolId, Username: username, ...settings }));

// ---- Amplify and the wire ---------------------------------------------------------------------

function configure(p, clientId = p.clientId) {
  Amplify.configure({ Auth: { Cognito: { userPoolId: p.poolId, userPoolClientId: clientId,
    userPoolEndpoint: proxy.endpoint } } });
}

// The calls since `mark` as "Action[/AuthFlow or ChallengeName answered] -> outcome", the
// outcome being the challenge Cognate asked next, "tokens", "<status>/<error>" or the status.
function wire(mark) {
  return proxy.since(mark).map((c) => {
    const detail = c.authFlow ?? c.challengeAnswered;
    let outcome = String(c.status);
    if (c.error) outcome = `${c.status}/${c.error.replace(/^.*#/, '')}`;
    else if (c.challenge) outcome = c.challenge;
    else if (c.tokens) outcome = 'tokens';
    return `${c.action}${detail ? `/${detail}` : ''} -> ${outcome}`;
  });
}

function step(out, signInStep) {
  assert.equal(out.nextStep.signInStep, signInStep, JSON.stringify(out.nextStep));
  assert.equal(out.isSignedIn, signInStep === 'DONE');
  return out.nextStep;
}

// Amplify's session is the user's: both tokens verify against the JWKS and name the user.
async function assertSignedInAs(p, username, sub, flow = 'USER_SRP_AUTH') {
  const { tokens } = await fetchAuthSession();
  assert.ok(tokens, 'Amplify holds tokens');
  const { id, access } = await verifyPair(p.verifier, tokens.idToken.toString(),
    tokens.accessToken.toString());
  assert.equal(id.sub, sub);
  assert.equal(access.username, username);
  const me = await getCurrentUser();
  assert.equal(me.userId, sub);
  assert.equal(me.signInDetails.authFlowType, flow);
}

async function assertNotSignedIn() {
  assert.equal((await fetchAuthSession()).tokens, undefined);
}

async function quietSignOut() {
  try { await signOut(); } catch { /* nothing to sign out of */ }
}

function rejectsNamed(promise, name, message) {
  return assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

// ---- the outbox -------------------------------------------------------------------------------

// False (and the test skipped) when the server's outbox cannot be read.
function hasOutbox(t) {
  if (server.dataDir) return true;
  t.skip('no outbox: set COGNATE_DATA_DIR with COGNATE_ENDPOINT');
  return false;
}

const outboxMark = () => readOutbox(server.dataDir).length;

// The one message matching `filter` written since `mark`, polling for up to 5 s.
async function messageSince(mark, filter) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = readOutbox(server.dataDir).slice(mark)
      .filter((m) => Object.entries(filter).every(([k, v]) => m[k] === v));
    if (found.length) {
      assert.equal(found.length, 1, `one message for ${JSON.stringify(filter)}`);
      assert.match(found[0].code, /^\d{6}$/);
      assert.ok(found[0].body.includes(found[0].code), 'the code is in the text');
      return found[0];
    }
    if (Date.now() > deadline) assert.fail(`no outbox message matching ${JSON.stringify(filter)}`);
    await sleep(50);
  }
}

const otherCode = (code) => (code === '000000' ? '111111' : '000000');

// ---- 1. MFA ON ---------------------------------------------------------------------------------

describe('MFA ON with TOTP: set-up inside signIn, then CONFIRM_SIGN_IN_WITH_TOTP_CODE', () => {
  const s = {};

  before(async () => {
    s.p = await makePool({ mfa: 'ON' });
    s.username = unique('on');
    s.sub = await createUser(s.p, s.username);
    configure(s.p);
  });
  after(quietSignOut);

  test('signIn → CONTINUE_SIGN_IN_WITH_TOTP_SETUP → confirmSignIn(code) → DONE', async () => {
    const mark = proxy.mark();
    const setup = step(await signIn({ username: s.username, password: PASSWORD }),
      'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const { sharedSecret } = setup.totpSetupDetails;
    assert.match(sharedSecret, /^[A-Z2-7]{16,}$/, 'base32 without padding');
    const uri = setup.totpSetupDetails.getSetupUri('Cognate');
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(uri.pathname, `/Cognate:${s.username}`);
    assert.equal(uri.searchParams.get('secret'), sharedSecret);
    assert.equal(uri.searchParams.get('issuer'), 'Cognate');
    assert.equal(setup.totpSetupDetails.getSetupUri('Cognate', 'me@example.com').pathname,
      '/Cognate:me@example.com');
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_SRP_AUTH -> PASSWORD_VERIFIER',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> MFA_SETUP',
      'AssociateSoftwareToken -> 200',
    ], 'Amplify associates the token with the MFA_SETUP Session before returning');

    // A wrong code fails VerifySoftwareToken and leaves the set-up session usable.
    const wrong = proxy.mark();
    await rejectsNamed(confirmSignIn({ challengeResponse: wrongCode(sharedSecret) }),
      'EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
    await assertNotSignedIn();
    const code = await freshCode(sharedSecret);
    step(await confirmSignIn({ challengeResponse: code.code,
      options: { friendlyDeviceName: 'amplify phone' } }), 'DONE');
    assert.deepEqual(wire(wrong), [
      'VerifySoftwareToken -> 400/EnableSoftwareTokenMFAException',
      'VerifySoftwareToken -> 200',
      'RespondToAuthChallenge/MFA_SETUP -> tokens',
    ]);
    await assertSignedInAs(s.p, s.username, s.sub);
    assert.deepEqual(await fetchMFAPreference(), { preferred: 'TOTP', enabled: ['TOTP'] });
    const u = await client.send(new AdminGetUserCommand({ UserPoolId: s.p.poolId,
      Username: s.username }));
    assert.deepEqual(u.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    Object.assign(s, { secret: sharedSecret, lastStep: code.step });
    await signOut();
  });

  test('the next signIn → CONFIRM_SIGN_IN_WITH_TOTP_CODE: wrong codes fail, a fresh one → DONE',
    async () => {
      assert.ok(s.secret, 'needs the set-up test');
      const mark = proxy.mark();
      step(await signIn({ username: s.username, password: PASSWORD }),
        'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
      await rejectsNamed(confirmSignIn({ challengeResponse: wrongCode(s.secret) }),
        'CodeMismatchException', 'Invalid code received for user');
      // The set-up code's step is spent.
      await rejectsNamed(confirmSignIn({ challengeResponse: totpCode(s.secret, s.lastStep) }),
        'CodeMismatchException');
      await assertNotSignedIn();
      const next = await freshCode(s.secret, s.lastStep);
      step(await confirmSignIn({ challengeResponse: next.code }), 'DONE');
      assert.deepEqual(wire(mark), [
        'InitiateAuth/USER_SRP_AUTH -> PASSWORD_VERIFIER',
        'RespondToAuthChallenge/PASSWORD_VERIFIER -> SOFTWARE_TOKEN_MFA',
        'RespondToAuthChallenge/SOFTWARE_TOKEN_MFA -> 400/CodeMismatchException',
        'RespondToAuthChallenge/SOFTWARE_TOKEN_MFA -> 400/CodeMismatchException',
        'RespondToAuthChallenge/SOFTWARE_TOKEN_MFA -> tokens',
      ]);
      await assertSignedInAs(s.p, s.username, s.sub);
      // A refresh asks for no second factor.
      const refresh = proxy.mark();
      const { tokens } = await fetchAuthSession({ forceRefresh: true });
      assert.deepEqual(wire(refresh), ['GetTokensFromRefreshToken -> tokens']);
      await verifyPair(s.p.verifier, tokens.idToken.toString(), tokens.accessToken.toString());
      await signOut();
    });

  test('a temporary password: NEW_PASSWORD_REQUIRED, then TOTP set-up, then DONE', async () => {
    const username = unique('on-temp');
    const made = await client.send(new AdminCreateUserCommand({ UserPoolId: s.p.poolId,
      Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!' }));
    const mark = proxy.mark();
    step(await signIn({ username, password: 'Temp0rary!' }),
      'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    const setup = step(await confirmSignIn({ challengeResponse: PASSWORD }),
      'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const code = await freshCode(setup.totpSetupDetails.sharedSecret);
    step(await confirmSignIn({ challengeResponse: code.code }), 'DONE');
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_SRP_AUTH -> PASSWORD_VERIFIER',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> NEW_PASSWORD_REQUIRED',
      'RespondToAuthChallenge/NEW_PASSWORD_REQUIRED -> MFA_SETUP',
      'AssociateSoftwareToken -> 200',
      'VerifySoftwareToken -> 200',
      'RespondToAuthChallenge/MFA_SETUP -> tokens',
    ]);
    const sub = made.User.Attributes.find((a) => a.Name === 'sub').Value;
    await assertSignedInAs(s.p, username, sub);
    await signOut();
  });
});

// ---- 2. MFA OPTIONAL, TOTP added by the signed-in user -----------------------------------------

describe('MFA OPTIONAL: setUpTOTP → verifyTOTPSetup → updateMFAPreference', () => {
  const s = {};

  before(async () => {
    s.p = await makePool({ mfa: 'OPTIONAL' });
    s.username = unique('opt');
    s.sub = await createUser(s.p, s.username);
    configure(s.p);
  });
  after(quietSignOut);

  test('a signed-in user sets TOTP up and prefers it; fetchMFAPreference shows it', async () => {
    step(await signIn({ username: s.username, password: PASSWORD }), 'DONE');
    assert.deepEqual(await fetchMFAPreference(), NO_PREFERENCE);
    const mark = proxy.mark();
    const details = await setUpTOTP();
    assert.match(details.sharedSecret, /^[A-Z2-7]{16,}$/);
    assert.equal(details.getSetupUri('Cognate').searchParams.get('secret'),
      details.sharedSecret);
    // Not verified yet: TOTP cannot be turned on.
    await rejectsNamed(updateMFAPreference({ totp: 'PREFERRED' }), 'InvalidParameterException');
    await rejectsNamed(verifyTOTPSetup({ code: wrongCode(details.sharedSecret) }),
      'EnableSoftwareTokenMFAException');
    const code = await freshCode(details.sharedSecret);
    await verifyTOTPSetup({ code: code.code, options: { friendlyDeviceName: 'laptop' } });
    assert.deepEqual(await fetchMFAPreference(), NO_PREFERENCE, 'verified is not enabled');
    await updateMFAPreference({ totp: 'PREFERRED' });
    assert.deepEqual(await fetchMFAPreference(), { preferred: 'TOTP', enabled: ['TOTP'] });
    assert.deepEqual(wire(mark), [
      'AssociateSoftwareToken -> 200',
      'SetUserMFAPreference -> 400/InvalidParameterException',
      'VerifySoftwareToken -> 400/EnableSoftwareTokenMFAException',
      'VerifySoftwareToken -> 200',
      'GetUser -> 200',
      'SetUserMFAPreference -> 200',
      'GetUser -> 200',
    ]);
    Object.assign(s, { secret: details.sharedSecret, lastStep: code.step });
    await signOut();
  });

  test('the next signIn asks CONFIRM_SIGN_IN_WITH_TOTP_CODE and a fresh code → DONE', async () => {
    assert.ok(s.secret, 'needs the set-up test');
    const mark = proxy.mark();
    step(await signIn({ username: s.username, password: PASSWORD }),
      'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    const next = await freshCode(s.secret, s.lastStep);
    step(await confirmSignIn({ challengeResponse: next.code }), 'DONE');
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_SRP_AUTH -> PASSWORD_VERIFIER',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> SOFTWARE_TOKEN_MFA',
      'RespondToAuthChallenge/SOFTWARE_TOKEN_MFA -> tokens',
    ]);
    await assertSignedInAs(s.p, s.username, s.sub);
    s.signedIn = true;
  });

  test('updateMFAPreference({totp: DISABLED}) ends the challenge', async () => {
    assert.ok(s.signedIn, 'needs the sign-in test');
    await updateMFAPreference({ totp: 'DISABLED' });
    assert.deepEqual(await fetchMFAPreference(), NO_PREFERENCE);
    await signOut();
    const mark = proxy.mark();
    step(await signIn({ username: s.username, password: PASSWORD }), 'DONE');
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_SRP_AUTH -> PASSWORD_VERIFIER',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> tokens',
    ]);
    await signOut();
  });
});

// ---- 3. SMS_MFA, 4. EMAIL_OTP as the second factor ---------------------------------------------

// Signs in up to a code challenge sent to `destination`, fails once with a wrong code, then
// answers with the outbox's code. Returns the outbox message.
async function signInWithSentCode(s, { signInStep, medium, masked, destination, purpose,
  challenge }) {
  const box = outboxMark();
  const mark = proxy.mark();
  const next = step(await signIn({ username: s.username, password: PASSWORD }), signInStep);
  assert.deepEqual(next.codeDeliveryDetails, { deliveryMedium: medium, destination: masked });
  const m = await messageSince(box, { pool_id: s.p.poolId, username: s.username, purpose });
  assert.equal(m.channel, medium);
  assert.equal(m.destination, destination);
  await rejectsNamed(confirmSignIn({ challengeResponse: otherCode(m.code) }),
    'CodeMismatchException', 'Invalid code received for user');
  await assertNotSignedIn();
  step(await confirmSignIn({ challengeResponse: m.code }), 'DONE');
  assert.deepEqual(wire(mark), [
    'InitiateAuth/USER_SRP_AUTH -> PASSWORD_VERIFIER',
    `RespondToAuthChallenge/PASSWORD_VERIFIER -> ${challenge}`,
    `RespondToAuthChallenge/${challenge} -> 400/CodeMismatchException`,
    `RespondToAuthChallenge/${challenge} -> tokens`,
  ]);
  await assertSignedInAs(s.p, s.username, s.sub);
  return m;
}

const SMS_STEP = { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', medium: 'SMS',
  masked: '+*******2233', destination: PHONE, purpose: 'mfa', challenge: 'SMS_MFA' };
const emailStep = (email) => ({ signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', medium: 'EMAIL',
  masked: `${email[0]}***@e***`, destination: email, purpose: 'otp', challenge: 'EMAIL_OTP' });

describe('SMS_MFA: CONFIRM_SIGN_IN_WITH_SMS_CODE with the code from the outbox', () => {
  test('a user who prefers SMS (OPTIONAL pool)', async (t) => {
    if (!hasOutbox(t)) return;
    const s = { p: await makePool({ mfa: 'OPTIONAL', sms: true }), username: unique('sms') };
    s.sub = await createUser(s.p, s.username, { phone_number: PHONE });
    await adminMfa(s.p, s.username, { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
    configure(s.p);
    const m = await signInWithSentCode(s, SMS_STEP);
    assert.equal(m.body, `Your sign-in code is ${m.code}`);
    assert.deepEqual(await fetchMFAPreference(), { preferred: 'SMS', enabled: ['SMS'] });
    await signOut();
  });

  test('MFA ON: a user with a phone number and no factor gets SMS_MFA, not set-up', async (t) => {
    if (!hasOutbox(t)) return;
    const s = { p: await makePool({ mfa: 'ON', sms: true }), username: unique('sms-on') };
    s.sub = await createUser(s.p, s.username, { phone_number: PHONE });
    configure(s.p);
    await signInWithSentCode(s, SMS_STEP);
    await signOut();
  });
});

describe('EMAIL_OTP as MFA: CONFIRM_SIGN_IN_WITH_EMAIL_CODE', () => {
  test('a user who prefers email (OPTIONAL pool)', async (t) => {
    if (!hasOutbox(t)) return;
    const s = { p: await makePool({ mfa: 'OPTIONAL', email: true }), username: unique('mail') };
    const email = `${s.username}@example.com`;
    s.sub = await createUser(s.p, s.username, { email });
    await adminMfa(s.p, s.username, { EmailMfaSettings: { Enabled: true, PreferredMfa: true } });
    configure(s.p);
    const m = await signInWithSentCode(s, emailStep(email));
    assert.equal(m.subject, 'Cognate sign-in');
    assert.equal(m.body, `Your sign-in code: ${m.code}`);
    assert.deepEqual(await fetchMFAPreference(), { preferred: 'EMAIL', enabled: ['EMAIL'] });
    await signOut();
  });
});

// ---- 5. SELECT_MFA_TYPE ------------------------------------------------------------------------

describe('SELECT_MFA_TYPE: CONTINUE_SIGN_IN_WITH_MFA_SELECTION', () => {
  const s = {};

  before(async () => {
    s.p = await makePool({ mfa: 'OPTIONAL', sms: true, email: true });
    s.username = unique('choose');
    s.email = `${s.username}@example.com`;
    s.sub = await createUser(s.p, s.username, { email: s.email, phone_number: PHONE });
    configure(s.p);
    // The user adds TOTP and enables it and email, preferring neither.
    step(await signIn({ username: s.username, password: PASSWORD }), 'DONE');
    const { sharedSecret } = await setUpTOTP();
    const code = await freshCode(sharedSecret);
    await verifyTOTPSetup({ code: code.code });
    await updateMFAPreference({ totp: 'ENABLED', email: 'ENABLED' });
    assert.deepEqual(await fetchMFAPreference(),
      { preferred: undefined, enabled: ['TOTP', 'EMAIL'] });
    Object.assign(s, { secret: sharedSecret, lastStep: code.step });
    await signOut();
  });
  after(quietSignOut);

  test('allowedMFATypes [TOTP, EMAIL]; an unoffered SMS is refused; TOTP → code → DONE',
    async () => {
      const mark = proxy.mark();
      const choice = step(await signIn({ username: s.username, password: PASSWORD }),
        'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
      assert.deepEqual(choice.allowedMFATypes, ['TOTP', 'EMAIL']);
      // Amplify checks the name; Cognate checks it was offered, and keeps the session.
      await rejectsNamed(confirmSignIn({ challengeResponse: 'SMS' }), 'InvalidParameterException');
      step(await confirmSignIn({ challengeResponse: 'TOTP' }), 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
      const next = await freshCode(s.secret, s.lastStep);
      step(await confirmSignIn({ challengeResponse: next.code }), 'DONE');
      assert.deepEqual(wire(mark), [
        'InitiateAuth/USER_SRP_AUTH -> PASSWORD_VERIFIER',
        'RespondToAuthChallenge/PASSWORD_VERIFIER -> SELECT_MFA_TYPE',
        'RespondToAuthChallenge/SELECT_MFA_TYPE -> 400/InvalidParameterException',
        'RespondToAuthChallenge/SELECT_MFA_TYPE -> SOFTWARE_TOKEN_MFA',
        'RespondToAuthChallenge/SOFTWARE_TOKEN_MFA -> tokens',
      ]);
      await assertSignedInAs(s.p, s.username, s.sub);
      s.lastStep = next.step;
      await signOut();
    });

  test('choosing EMAIL → CONFIRM_SIGN_IN_WITH_EMAIL_CODE → the outbox code → DONE',
    async (t) => {
      if (!hasOutbox(t)) return;
      const box = outboxMark();
      const mark = proxy.mark();
      step(await signIn({ username: s.username, password: PASSWORD }),
        'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
      const next = step(await confirmSignIn({ challengeResponse: 'EMAIL' }),
        'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      assert.deepEqual(next.codeDeliveryDetails,
        { deliveryMedium: 'EMAIL', destination: emailStep(s.email).masked });
      const m = await messageSince(box, { pool_id: s.p.poolId, username: s.username });
      assert.equal(m.channel, 'EMAIL');
      step(await confirmSignIn({ challengeResponse: m.code }), 'DONE');
      assert.deepEqual(wire(mark), [
        'InitiateAuth/USER_SRP_AUTH -> PASSWORD_VERIFIER',
        'RespondToAuthChallenge/PASSWORD_VERIFIER -> SELECT_MFA_TYPE',
        'RespondToAuthChallenge/SELECT_MFA_TYPE -> EMAIL_OTP',
        'RespondToAuthChallenge/EMAIL_OTP -> tokens',
      ]);
      await assertSignedInAs(s.p, s.username, s.sub);
    });

  test('updateMFAPreference({sms: PREFERRED}) replaces the choice with SMS_MFA', async (t) => {
    if (!hasOutbox(t)) return;
    assert.ok((await fetchAuthSession()).tokens, 'needs the EMAIL test\'s sign-in');
    await updateMFAPreference({ sms: 'PREFERRED' });
    assert.deepEqual(await fetchMFAPreference(),
      { preferred: 'SMS', enabled: ['SMS', 'TOTP', 'EMAIL'] });
    await signOut();
    await signInWithSentCode(s, SMS_STEP);
    await signOut();
  });
});

// ---- 6. USER_AUTH ------------------------------------------------------------------------------

describe('USER_AUTH: choice-based and passwordless sign-in', () => {
  const s = {};
  const userAuth = (username, extra = {}) => signIn({ username,
    options: { authFlowType: 'USER_AUTH', ...extra } });

  before(async () => {
    // SignInPolicy goes through the SDK's CreateUserPool as is.
    const factors = ['PASSWORD', 'EMAIL_OTP'];
    s.p = await makePool({ flows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      create: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } } } });
    s.username = unique('pwless');
    s.email = `${s.username}@example.com`;
    s.sub = await createUser(s.p, s.username, { email: s.email, email_verified: 'true' });
    configure(s.p);
  });
  after(quietSignOut);

  // Answers an EMAIL_OTP step with the code sent since `box`, a wrong one first when `wrong`.
  async function answerEmail(next, box, wrong) {
    assert.deepEqual(next.codeDeliveryDetails,
      { deliveryMedium: 'EMAIL', destination: emailStep(s.email).masked });
    const m = await messageSince(box, { pool_id: s.p.poolId, username: s.username,
      purpose: 'otp' });
    assert.equal(m.destination, s.email);
    if (wrong) {
      await rejectsNamed(confirmSignIn({ challengeResponse: otherCode(m.code) }),
        'CodeMismatchException');
    }
    step(await confirmSignIn({ challengeResponse: m.code }), 'DONE');
  }

  test('CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION → EMAIL_OTP → email code → DONE',
    async (t) => {
      if (!hasOutbox(t)) return;
      const box = outboxMark();
      const mark = proxy.mark();
      const choice = step(await userAuth(s.username),
        'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
      assert.deepEqual(choice.availableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
      const next = step(await confirmSignIn({ challengeResponse: 'EMAIL_OTP' }),
        'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      await answerEmail(next, box, true);
      assert.deepEqual(wire(mark), [
        'InitiateAuth/USER_AUTH -> SELECT_CHALLENGE',
        'RespondToAuthChallenge/SELECT_CHALLENGE -> EMAIL_OTP',
        'RespondToAuthChallenge/EMAIL_OTP -> 400/CodeMismatchException',
        'RespondToAuthChallenge/EMAIL_OTP -> tokens',
      ]);
      await assertSignedInAs(s.p, s.username, s.sub, 'USER_AUTH');
      await signOut();
    });

  test('preferredChallenge EMAIL_OTP goes straight to CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
    async (t) => {
      if (!hasOutbox(t)) return;
      const box = outboxMark();
      const mark = proxy.mark();
      const next = step(await userAuth(s.username, { preferredChallenge: 'EMAIL_OTP' }),
        'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      await answerEmail(next, box, false);
      assert.deepEqual(wire(mark), [
        'InitiateAuth/USER_AUTH -> EMAIL_OTP',
        'RespondToAuthChallenge/EMAIL_OTP -> tokens',
      ]);
      await assertSignedInAs(s.p, s.username, s.sub, 'USER_AUTH');
      await signOut();
    });

  test('preferredChallenge PASSWORD_SRP with a password signs in with SRP', async () => {
    const mark = proxy.mark();
    await rejectsNamed(userAuth(s.username, { preferredChallenge: 'PASSWORD_SRP' }),
      'EmptySignInPassword');
    await rejectsNamed(signIn({ username: s.username, password: 'Wr0ngPassword!',
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' } }),
    'NotAuthorizedException', 'Incorrect username or password.');
    step(await signIn({ username: s.username, password: PASSWORD,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' } }), 'DONE');
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_AUTH -> PASSWORD_VERIFIER',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> 400/NotAuthorizedException',
      'InitiateAuth/USER_AUTH -> PASSWORD_VERIFIER',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> tokens',
    ], 'no USER_SRP_AUTH: the client allows only USER_AUTH');
    await assertSignedInAs(s.p, s.username, s.sub, 'USER_AUTH');
    await signOut();
  });

  test('the selection answered with PASSWORD_SRP or PASSWORD → CONFIRM_SIGN_IN_WITH_PASSWORD',
    async () => {
      for (const [factor, calls] of [
        ['PASSWORD_SRP', ['RespondToAuthChallenge/SELECT_CHALLENGE -> PASSWORD_VERIFIER',
          'RespondToAuthChallenge/PASSWORD_VERIFIER -> tokens']],
        ['PASSWORD', ['RespondToAuthChallenge/SELECT_CHALLENGE -> tokens']],
      ]) {
        const mark = proxy.mark();
        step(await userAuth(s.username), 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
        step(await confirmSignIn({ challengeResponse: factor }), 'CONFIRM_SIGN_IN_WITH_PASSWORD');
        step(await confirmSignIn({ challengeResponse: PASSWORD }), 'DONE');
        assert.deepEqual(wire(mark), ['InitiateAuth/USER_AUTH -> SELECT_CHALLENGE', ...calls],
          factor);
        await assertSignedInAs(s.p, s.username, s.sub, 'USER_AUTH');
        await signOut();
      }
    });

  test('without a verified email only the password factors are offered', async () => {
    const username = unique('unverified');
    await createUser(s.p, username, { email: `${username}@example.com` });
    const mark = proxy.mark();
    const choice = step(await userAuth(username, { preferredChallenge: 'EMAIL_OTP' }),
      'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.deepEqual(choice.availableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
    await rejectsNamed(confirmSignIn({ challengeResponse: 'EMAIL_OTP' }),
      'InvalidParameterException');
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_AUTH -> SELECT_CHALLENGE',
      'RespondToAuthChallenge/SELECT_CHALLENGE -> 400/InvalidParameterException',
    ], 'an EMAIL_OTP preference it cannot have falls back to the selection');
    await assertNotSignedIn();
  });

  test('a client without ALLOW_USER_AUTH refuses the flow', async () => {
    const c = await client.send(new CreateUserPoolClientCommand({ UserPoolId: s.p.poolId,
      ClientName: 'srp-only', ExplicitAuthFlows: SRP_FLOWS }));
    configure(s.p, c.UserPoolClient.ClientId);
    try {
      const mark = proxy.mark();
      await rejectsNamed(userAuth(s.username), 'InvalidParameterException',
        'Auth flow not enabled for this client');
      assert.deepEqual(wire(mark), ['InitiateAuth/USER_AUTH -> 400/InvalidParameterException']);
    } finally {
      configure(s.p);
    }
  });
});
