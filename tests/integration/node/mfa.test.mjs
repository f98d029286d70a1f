// TOTP MFA with amazon-cognito-identity-js (cognito-wire.md §6.3, §6.5): in a pool with MFA ON
// a new user goes SRP → NEW_PASSWORD_REQUIRED → MFA_SETUP (AssociateSoftwareToken and
// VerifySoftwareToken with the challenge Session) → tokens, then signs in with
// SOFTWARE_TOKEN_MFA; in an OPTIONAL pool a signed-in user sets TOTP up with its access token
// and SetUserMFAPreference. The codes are computed here (totp.mjs), as an authenticator app
// would, from the SecretCode the server hands out.
//
// Server: see cognate-server.mjs. The library's calls go through recording-proxy.mjs so the
// tests can check which actions it made.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

import { REGION, startCognate } from './cognate-server.mjs';
import { tokenVerifier, verifyPair } from './jwt-check.mjs';
import { startRecordingProxy } from './recording-proxy.mjs';
import { freshCode, totpCode, wrongCode } from './totp.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;
const TEMPORARY = 'Temp0rary!';
const NEW_PASSWORD = 'N3wPassw0rd!';
const PASSWORD = 'Passw0rd!';
const TOTP = 'SOFTWARE_TOKEN_MFA';

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
  await proxy?.stop();
  await server?.stop();
});

// A pool with TOTP MFA in `mode` (ON or OPTIONAL) and an SRP client; the library talks to it
// through the proxy. Returns { poolId, clientId, pool, verifier }.
async function totpPool(mode) {
  const created = await client.send(new CreateUserPoolCommand({ PoolName: unique('node-mfa') }));
  const poolId = created.UserPool.Id;
  const set = await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId,
    MfaConfiguration: mode, SoftwareTokenMfaConfiguration: { Enabled: true } }));
  assert.equal(set.MfaConfiguration, mode);
  assert.deepEqual(set.SoftwareTokenMfaConfiguration, { Enabled: true });
  const got = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
  assert.equal(got.MfaConfiguration, mode);
  assert.deepEqual(got.SoftwareTokenMfaConfiguration, { Enabled: true });
  const c = await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId,
    ClientName: 'node-mfa',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
  const clientId = c.UserPoolClient.ClientId;
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId,
    endpoint: `${proxy.endpoint}/` });
  const verifier = await tokenVerifier(`${server.endpoint}/${poolId}`, clientId);
  return { poolId, clientId, pool, verifier };
}

// authenticateUser as a promise that settles at the first callback: resolves with
// { kind: 'tokens', session } or { kind: <challenge callback name>, params }, rejects on
// onFailure. `user` keeps the challenge Session for the answer.
function authenticate(user, password) {
  const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
  return new Promise((resolve, reject) => {
    const stop = (kind) => (...params) => resolve({ kind, params });
    user.authenticateUser(details, {
      onSuccess: (session) => resolve({ kind: 'tokens', session }),
      onFailure: reject,
      newPasswordRequired: stop('newPasswordRequired'),
      mfaSetup: stop('mfaSetup'),
      totpRequired: stop('totpRequired'),
      mfaRequired: stop('mfaRequired'),
      selectMFAType: stop('selectMFAType'),
      customChallenge: stop('customChallenge'),
    });
  });
}

// The callbacks of a challenge answer as a promise, like authenticate().
function answered(start) {
  return new Promise((resolve, reject) => {
    const stop = (kind) => (...params) => resolve({ kind, params });
    start({
      onSuccess: (session) => resolve({ kind: 'tokens', session }),
      onFailure: reject,
      newPasswordRequired: stop('newPasswordRequired'),
      mfaSetup: stop('mfaSetup'),
      totpRequired: stop('totpRequired'),
      mfaRequired: stop('mfaRequired'),
      selectMFAType: stop('selectMFAType'),
    });
  });
}

// A fresh CognitoUser that has signed in up to the TOTP challenge.
async function atTotpChallenge(username, password, pool) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  const first = await authenticate(user, password);
  assert.equal(first.kind, 'totpRequired');
  assert.equal(first.params[0], TOTP);
  return user;
}

const sendTotp = (user, code) => answered((cb) => user.sendMFACode(code, cb, TOTP));

function associate(user) {
  return new Promise((resolve, reject) => {
    user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject });
  });
}

function verifyTotp(user, code, deviceName) {
  return new Promise((resolve, reject) => {
    user.verifySoftwareToken(code, deviceName, { onSuccess: resolve, onFailure: reject });
  });
}

const nodeCallback = (start) => new Promise((resolve, reject) => {
  start((err, value) => (err ? reject(err) : resolve(value)));
});

function rejectsWithCode(promise, code, message) {
  return assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `${err.code}: ${err.message}`);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

// Checks a library session's tokens against the pool's JWKS and returns the verified payloads.
async function verifiedSession(p, session, username) {
  assert.ok(session.isValid());
  const pair = await verifyPair(p.verifier, session.getIdToken().getJwtToken(),
    session.getAccessToken().getJwtToken());
  assert.equal(pair.access.username, username);
  assert.ok(session.getRefreshToken().getToken());
  return pair;
}

// The MFA members of GetUser (the SDK, with an access token).
async function mfaSettings(accessToken) {
  const me = await client.send(new GetUserCommand({ AccessToken: accessToken }));
  return { list: me.UserMFASettingList, preferred: me.PreferredMfaSetting };
}

// The library's calls since `mark`, each as "<action> <flow or challenge answered> <outcome>".
const calls = (mark) => proxy.since(mark).map((c) => {
  const outcome = c.error ?? c.challenge ?? (c.tokens ? 'tokens' : '');
  return [c.action, c.challengeAnswered ?? c.authFlow, outcome].filter(Boolean).join(' ');
});

describe('MFA ON: a new user sets up TOTP in MFA_SETUP, then answers SOFTWARE_TOKEN_MFA', () => {
  const s = {};

  before(async () => {
    s.p = await totpPool('ON');
    s.username = unique('totp');
    const u = await client.send(new AdminCreateUserCommand({ UserPoolId: s.p.poolId,
      Username: s.username, MessageAction: 'SUPPRESS', TemporaryPassword: TEMPORARY }));
    assert.equal(u.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
  });

  test('SRP → newPasswordRequired → mfaSetup → associate/verify with the Session → tokens',
    async () => {
      const mark = proxy.mark();
      const user = new CognitoUser({ Username: s.username, Pool: s.p.pool });
      const first = await authenticate(user, TEMPORARY);
      assert.equal(first.kind, 'newPasswordRequired');
      const setup = await answered((cb) => user.completeNewPasswordChallenge(NEW_PASSWORD, {}, cb));
      assert.equal(setup.kind, 'mfaSetup');
      assert.equal(setup.params[0], 'MFA_SETUP');
      assert.deepEqual(JSON.parse(setup.params[1].MFAS_CAN_SETUP), [TOTP]);

      const secret = await associate(user);
      assert.match(secret, /^[A-Z2-7]{16,}$/, 'base32 without padding');
      // MFA_SETUP cannot be answered before the token is verified (the SDK, not the library,
      // which only answers after VerifySoftwareToken).
      await assert.rejects(client.send(new RespondToAuthChallengeCommand({
        ClientId: s.p.clientId, ChallengeName: 'MFA_SETUP', Session: user.Session,
        ChallengeResponses: { USERNAME: s.username } })), (err) => {
        assert.equal(err.name, 'InvalidParameterException', err.message);
        return true;
      });
      // A wrong code is refused and leaves the set-up session usable.
      await rejectsWithCode(verifyTotp(user, wrongCode(secret), 'my phone'),
        'EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
      const setupCode = await freshCode(secret);
      const session = await verifyTotp(user, setupCode.code, 'my phone');
      const tokens = await verifiedSession(s.p, session, s.username);
      assert.deepEqual(calls(mark), [
        'InitiateAuth USER_SRP_AUTH PASSWORD_VERIFIER',
        'RespondToAuthChallenge PASSWORD_VERIFIER NEW_PASSWORD_REQUIRED',
        'RespondToAuthChallenge NEW_PASSWORD_REQUIRED MFA_SETUP',
        'AssociateSoftwareToken',
        'VerifySoftwareToken EnableSoftwareTokenMFAException',
        'VerifySoftwareToken',
        'RespondToAuthChallenge MFA_SETUP tokens',
      ]);

      const u = await client.send(new AdminGetUserCommand({ UserPoolId: s.p.poolId,
        Username: s.username }));
      assert.equal(u.UserStatus, 'CONFIRMED');
      assert.deepEqual(u.UserMFASettingList, [TOTP]);
      assert.equal(u.PreferredMfaSetting, TOTP);
      assert.deepEqual(await mfaSettings(session.getAccessToken().getJwtToken()),
        { list: [TOTP], preferred: TOTP });
      Object.assign(s, { secret, lastStep: setupCode.step, setupSub: tokens.id.sub });
    });

  test('a fresh sign-in asks totpRequired; a wrong code fails, the next step\'s code signs in, '
    + 'and refreshSession works', async () => {
    assert.ok(s.secret, 'needs the set-up test');
    const user = await atTotpChallenge(s.username, NEW_PASSWORD, s.p.pool);
    // The set-up code was spent: it cannot sign in.
    await rejectsWithCode(sendTotp(user, totpCode(s.secret, s.lastStep)), 'CodeMismatchException');
    await rejectsWithCode(sendTotp(user, wrongCode(s.secret)), 'CodeMismatchException');
    // The session survives wrong codes (up to a limit): the right one still signs in.
    const next = await freshCode(s.secret, s.lastStep);
    const signedIn = await sendTotp(user, next.code);
    assert.equal(signedIn.kind, 'tokens');
    const first = await verifiedSession(s.p, signedIn.session, s.username);
    assert.equal(first.id.sub, s.setupSub);
    s.lastStep = next.step;
    s.lastCode = next.code;

    const refreshed = await nodeCallback((cb) =>
      user.refreshSession(signedIn.session.getRefreshToken(), cb));
    const after = await verifiedSession(s.p, refreshed, s.username);
    assert.notEqual(refreshed.getAccessToken().getJwtToken(),
      signedIn.session.getAccessToken().getJwtToken());
    assert.notEqual(after.access.jti, first.access.jti);
    assert.equal(after.access.origin_jti, first.access.origin_jti);
    const me = await client.send(new GetUserCommand({
      AccessToken: refreshed.getAccessToken().getJwtToken() }));
    assert.equal(me.Username, s.username);
  });

  test('the same correct code does not sign in twice', async () => {
    assert.ok(s.lastCode, 'needs the sign-in test');
    // Two sign-ins with one code of a step not used yet: the first wins, the second is refused.
    const code = await freshCode(s.secret, s.lastStep);
    const one = await atTotpChallenge(s.username, NEW_PASSWORD, s.p.pool);
    const two = await atTotpChallenge(s.username, NEW_PASSWORD, s.p.pool);
    const signedIn = await sendTotp(one, code.code);
    assert.equal(signedIn.kind, 'tokens');
    await verifiedSession(s.p, signedIn.session, s.username);
    await rejectsWithCode(sendTotp(two, code.code), 'CodeMismatchException');
    // Nor does the code of the previous sign-in, still inside the drift window.
    await rejectsWithCode(sendTotp(two, s.lastCode), 'CodeMismatchException');
    s.lastStep = code.step;
  });

  test('the password alone never gives tokens', async () => {
    const user = new CognitoUser({ Username: s.username, Pool: s.p.pool });
    const first = await authenticate(user, NEW_PASSWORD);
    assert.equal(first.kind, 'totpRequired');
    await rejectsWithCode(authenticate(new CognitoUser({ Username: s.username, Pool: s.p.pool }),
      'Wr0ngPassword!'), 'NotAuthorizedException', 'Incorrect username or password.');
  });
});

describe('MFA OPTIONAL: a signed-in user adds TOTP with its access token', () => {
  const s = {};

  before(async () => {
    s.p = await totpPool('OPTIONAL');
    s.username = unique('opt');
    await client.send(new AdminCreateUserCommand({ UserPoolId: s.p.poolId,
      Username: s.username, MessageAction: 'SUPPRESS' }));
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId: s.p.poolId,
      Username: s.username, Password: PASSWORD, Permanent: true }));
  });

  test('associate + verify with the access token, then SetUserMFAPreference turns TOTP on',
    async () => {
      const user = new CognitoUser({ Username: s.username, Pool: s.p.pool });
      const plain = await authenticate(user, PASSWORD);
      assert.equal(plain.kind, 'tokens', 'no factor yet: no MFA in an OPTIONAL pool');
      const access = () => user.getSignInUserSession().getAccessToken().getJwtToken();
      assert.deepEqual(await mfaSettings(access()), { list: undefined, preferred: undefined });

      const mark = proxy.mark();
      const secret = await associate(user);
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      // Not verified yet: TOTP cannot be turned on.
      await rejectsWithCode(nodeCallback((cb) =>
        user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, cb)),
      'InvalidParameterException');
      await rejectsWithCode(verifyTotp(user, wrongCode(secret), 'laptop'),
        'EnableSoftwareTokenMFAException');
      const setupCode = await freshCode(secret);
      assert.deepEqual(await verifyTotp(user, setupCode.code, 'laptop'), { Status: 'SUCCESS' });
      assert.deepEqual(calls(mark), ['AssociateSoftwareToken', 'SetUserMFAPreference '
        + 'InvalidParameterException', 'VerifySoftwareToken EnableSoftwareTokenMFAException',
      'VerifySoftwareToken'], 'the access-token variants: no challenge answered');

      // Verified but not enabled: still no MFA.
      assert.deepEqual(await mfaSettings(access()), { list: undefined, preferred: undefined });
      const stillPlain = await authenticate(
        new CognitoUser({ Username: s.username, Pool: s.p.pool }), PASSWORD);
      assert.equal(stillPlain.kind, 'tokens');

      assert.equal(await nodeCallback((cb) =>
        user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, cb)), 'SUCCESS');
      const data = await nodeCallback((cb) => user.getUserData(cb, { bypassCache: true }));
      assert.equal(data.Username, s.username);
      assert.deepEqual(data.UserMFASettingList, [TOTP]);
      assert.equal(data.PreferredMfaSetting, TOTP);
      assert.deepEqual(await mfaSettings(access()), { list: [TOTP], preferred: TOTP });
      Object.assign(s, { secret, lastStep: setupCode.step });
    });

  test('the next sign-in asks totpRequired and a fresh code gives tokens', async () => {
    assert.ok(s.secret, 'needs the set-up test');
    const user = await atTotpChallenge(s.username, PASSWORD, s.p.pool);
    await rejectsWithCode(sendTotp(user, wrongCode(s.secret)), 'CodeMismatchException',
      'Invalid code received for user');
    const next = await freshCode(s.secret, s.lastStep);
    assert.ok(next.step > s.lastStep);
    const signedIn = await sendTotp(user, next.code);
    assert.equal(signedIn.kind, 'tokens');
    await verifiedSession(s.p, signedIn.session, s.username);
    const refreshed = await nodeCallback((cb) =>
      user.refreshSession(signedIn.session.getRefreshToken(), cb));
    await verifiedSession(s.p, refreshed, s.username);
    s.session = signedIn.session;
    s.user = user;
  });

  test('disabling TOTP in the preference ends the challenge', async () => {
    assert.ok(s.user, 'needs the sign-in test');
    assert.equal(await nodeCallback((cb) =>
      s.user.setUserMfaPreference(null, { PreferredMfa: false, Enabled: false }, cb)), 'SUCCESS');
    const me = await mfaSettings(s.user.getSignInUserSession().getAccessToken().getJwtToken());
    assert.deepEqual(me, { list: undefined, preferred: undefined });
    const plain = await authenticate(
      new CognitoUser({ Username: s.username, Pool: s.p.pool }), PASSWORD);
    assert.equal(plain.kind, 'tokens');
    await verifiedSession(s.p, plain.session, s.username);
  });
});

test('TOTP is refused in a pool that has not enabled it', async () => {
  const created = await client.send(new CreateUserPoolCommand({ PoolName: unique('node-nomfa') }));
  const poolId = created.UserPool.Id;
  const c = await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId,
    ClientName: 'node-nomfa', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] }));
  const username = unique('off');
  await client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username,
    MessageAction: 'SUPPRESS' }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username,
    Password: PASSWORD, Permanent: true }));
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: c.UserPoolClient.ClientId,
    endpoint: `${proxy.endpoint}/` });
  const user = new CognitoUser({ Username: username, Pool: pool });
  assert.equal((await authenticate(user, PASSWORD)).kind, 'tokens');
  await rejectsWithCode(associate(user), 'SoftwareTokenMFANotFoundException');
});
