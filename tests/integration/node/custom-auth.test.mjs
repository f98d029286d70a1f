// CUSTOM_AUTH with amazon-cognito-identity-js against Cognate, the three challenge triggers
// answered by a tiny node:http receiver written like the Lambda functions of an "email me a
// code" sign-in (it checks X-Cognate-Signature with the pool's secret when it can read it).
//
//   - passwordless: setAuthenticationFlowType('CUSTOM_AUTH') + initiateAuth (the library's
//     authenticateUser always starts CUSTOM_AUTH with SRP_A, see the SRP test) → customChallenge
//     → sendCustomChallengeAnswer → onSuccess, tokens checked with aws-jwt-verify
//   - a wrong answer brings customChallenge again; three wrong answers fail
//   - SRP first: authenticateUser with a password sends CHALLENGE_NAME SRP_A; DefineAuthChallenge
//     answers PASSWORD_VERIFIER, the library proves the password, then the code is asked
//
// Server: see cognate-server.mjs. The receiver listens on 127.0.0.1, so a server given with
// COGNATE_ENDPOINT must run on this machine.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

import { REGION, startCognate } from './cognate-server.mjs';
import { tokenVerifier, verifyPair } from './jwt-check.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;
const PASSWORD = 'Passw0rd!';
const TRIGGERS = ['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse'];
const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.env.COGNATE_BIN || path.resolve(here, '..', '..', '..', 'build', 'cognate');

let server;
let client;
let receiver;
const calls = [];       // { trigger, event, signed }
const mailbox = new Map(); // `${poolId}/${userName}` -> the newest code "sent"
const secrets = new Map(); // poolId -> trigger signing secret

const unique = (p) => `${p}-${crypto.randomBytes(5).toString('hex')}`;

// ---- the "Lambda functions" ---------------------------------------------------------------
function define(event) {
  const { session } = event.request;
  const last = session[session.length - 1];
  const codes = session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE');
  if (last?.challengeName === 'SRP_A') return { challengeName: 'PASSWORD_VERIFIER' };
  if (last?.challengeName === 'PASSWORD_VERIFIER' && !last.challengeResult) {
    return { failAuthentication: true };
  }
  if (codes.length && codes[codes.length - 1].challengeResult) return { issueTokens: true };
  if (codes.length >= 3) return { failAuthentication: true };
  return { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
}

function create(event) {
  const code = String(crypto.randomInt(0, 1000000)).padStart(6, '0');
  mailbox.set(`${event.userPoolId}/${event.userName}`, code);
  const round = event.request.session
    .filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').length + 1;
  const email = event.request.userAttributes.email ?? 'nobody@example.com';
  const masked = `${email[0]}***${email.slice(email.indexOf('@'))}`;
  return {
    publicChallengeParameters: { hint: `Code sent to ${masked}`, round: String(round) },
    privateChallengeParameters: { answer: code },
    challengeMetadata: `CODE-${round}`,
  };
}

function verify(event) {
  const expected = Buffer.from(event.request.privateChallengeParameters.answer);
  const given = Buffer.from(event.request.challengeAnswer);
  return { answerCorrect: expected.length === given.length &&
    crypto.timingSafeEqual(expected, given) };
}

const HANDLERS = { DefineAuthChallenge: define, CreateAuthChallenge: create,
  VerifyAuthChallengeResponse: verify };

// The documented recipe: X-Cognate-Signature "t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>".
function signatureOk(secret, header, body) {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((p) => p.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300 || !parts.v1) return false;
  const mac = crypto.createHmac('sha256', secret).update(`${t}.`).update(body).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === mac.length && crypto.timingSafeEqual(given, mac);
}

function startReceiver() {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const trigger = req.url.slice(1);
        const event = JSON.parse(body);
        const secret = secrets.get(event.userPoolId);
        const signed = secret ? signatureOk(secret, req.headers['x-cognate-signature'], body)
          : null;
        calls.push({ trigger, event, signed });
        if (signed === false || !HANDLERS[trigger]) {
          res.writeHead(401).end('{"message":"refused"}');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ...event, response: HANDLERS[trigger](event) }));
      });
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

before(async () => {
  server = await startCognate();
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: server.endpoint,
    credentials: server.credentials, maxAttempts: 1 });
  receiver = await startReceiver();
});

after(async () => {
  client?.destroy();
  await new Promise((r) => (receiver ? receiver.close(r) : r()));
  await server?.stop();
});

// ---- set-up ---------------------------------------------------------------------------------
// A pool whose challenge triggers point at the receiver, a CUSTOM_AUTH client and a confirmed
// user with an email and a password.
async function customPool() {
  const base = `http://127.0.0.1:${receiver.address().port}`;
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: unique('node-custom'),
    LambdaConfig: Object.fromEntries(TRIGGERS.map((t) => [t, `${base}/${t}`])) }));
  const poolId = pool.UserPool.Id;
  if (server.dataDir) {
    secrets.set(poolId, execFileSync(bin, ['trigger-secret', '--data', server.dataDir, poolId],
      { encoding: 'utf8' }).trim());
  }
  const c = await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId,
    ClientName: 'node-custom', ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH'] }));
  const clientId = c.UserPoolClient.ClientId;
  const username = unique('js');
  await client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username,
    MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${username}@x.test` },
      { Name: 'email_verified', Value: 'true' }] }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username,
    Password: PASSWORD, Permanent: true }));
  const userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId,
    endpoint: `${server.endpoint.replace(/\/$/, '')}/` });
  const user = new CognitoUser({ Username: username, Pool: userPool });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  const codeNow = () => mailbox.get(`${poolId}/${username}`);
  return { poolId, clientId, username, user, codeNow };
}

const eventsOf = (poolId, trigger) =>
  calls.filter((c) => c.event.userPoolId === poolId && c.trigger === trigger).map((c) => c.event);

// Runs a sign-in: `begin(callbacks)` starts it, `answerFor(parameters, round)` answers each
// customChallenge. Resolves { session, challenges }, rejects with the library's error.
function drive(user, begin, answerFor) {
  const challenges = [];
  return new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: (session) => resolve({ session, challenges }),
      onFailure: reject,
      customChallenge(parameters) {
        challenges.push(parameters);
        user.sendCustomChallengeAnswer(answerFor(parameters, challenges.length), callbacks,
          { app: 'node' });
      },
      mfaRequired: () => reject(new Error('unexpected SMS_MFA')),
      totpRequired: () => reject(new Error('unexpected SOFTWARE_TOKEN_MFA')),
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    };
    begin(callbacks);
  });
}

const passwordless = (p) => (cb) =>
  p.user.initiateAuth(new AuthenticationDetails({ Username: p.username }), cb);

async function checkSession(p, session) {
  assert.ok(session.isValid());
  const verifier = await tokenVerifier(`${server.endpoint}/${p.poolId}`, p.clientId);
  const { id } = await verifyPair(verifier, session.getIdToken().getJwtToken(),
    session.getAccessToken().getJwtToken());
  assert.equal(id['cognito:username'], p.username);
  assert.ok(session.getRefreshToken().getToken());
  const me = await client.send(new GetUserCommand({
    AccessToken: session.getAccessToken().getJwtToken() }));
  assert.equal(me.Username, p.username);
}

function rejectsWithCode(promise, code, message) {
  return assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `${err.code}: ${err.message}`);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

// ---- tests ----------------------------------------------------------------------------------
test('customChallenge → sendCustomChallengeAnswer → onSuccess, tokens verified', async () => {
  const p = await customPool();
  const { session, challenges } = await drive(p.user, passwordless(p), () => p.codeNow());
  assert.deepEqual(challenges, [{ hint: `Code sent to ${p.username[0]}***@x.test`, round: '1',
    USERNAME: p.username }]);
  await checkSession(p, session);

  const [verifyEvent] = eventsOf(p.poolId, 'VerifyAuthChallengeResponse');
  assert.equal(verifyEvent.triggerSource, 'VerifyAuthChallengeResponse_Authentication');
  assert.deepEqual(verifyEvent.request.clientMetadata, { app: 'node' });
  assert.equal(verifyEvent.request.challengeAnswer, p.codeNow());
  const defines = eventsOf(p.poolId, 'DefineAuthChallenge');
  assert.deepEqual(defines.map((e) => e.request.session), [[], [
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CODE-1' }]]);
  if (server.dataDir) {
    const mine = calls.filter((c) => c.event.userPoolId === p.poolId);
    assert.deepEqual(mine.map((c) => c.signed), mine.map(() => true), 'every call is signed');
  }
});

test('a wrong answer brings customChallenge again; three wrong answers fail', async () => {
  const p = await customPool();
  const { session, challenges } = await drive(p.user, passwordless(p),
    (_, round) => (round === 1 ? 'not-the-code' : p.codeNow()));
  assert.deepEqual(challenges.map((c) => c.round), ['1', '2']);
  await checkSession(p, session);
  const creates = eventsOf(p.poolId, 'CreateAuthChallenge');
  assert.deepEqual(creates[1].request.session, [
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'CODE-1' }]);

  const failing = await customPool();
  const seen = [];
  await rejectsWithCode(drive(failing.user, passwordless(failing), (params) => {
    seen.push(params.round);
    return '000000x';
  }), 'NotAuthorizedException', 'Incorrect username or password.');
  assert.deepEqual(seen, ['1', '2', '3']);
});

test('SRP first: authenticateUser sends SRP_A, proves the password, then the code', async () => {
  const p = await customPool();
  const start = (cb) => p.user.authenticateUser(new AuthenticationDetails({
    Username: p.username, Password: PASSWORD }), cb);
  const { session, challenges } = await drive(p.user, start, () => p.codeNow());
  assert.equal(challenges.length, 1);
  assert.equal(challenges[0].round, '1');
  await checkSession(p, session);
  const proven = [{ challengeName: 'SRP_A', challengeResult: true },
    { challengeName: 'PASSWORD_VERIFIER', challengeResult: true }];
  assert.deepEqual(eventsOf(p.poolId, 'DefineAuthChallenge').map((e) => e.request.session), [
    proven.slice(0, 1), proven, [...proven, { challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: true, challengeMetadata: 'CODE-1' }]]);
  assert.deepEqual(eventsOf(p.poolId, 'CreateAuthChallenge')[0].request.session, proven);

  // A wrong password ends the sign-in before any code is mailed.
  const other = await customPool();
  await rejectsWithCode(drive(other.user, (cb) => other.user.authenticateUser(
    new AuthenticationDetails({ Username: other.username, Password: 'Wr0ngPassword!' }), cb),
  () => assert.fail('no challenge expected')), 'NotAuthorizedException',
  'Incorrect username or password.');
  assert.equal(other.codeNow(), undefined);
  assert.equal(eventsOf(other.poolId, 'DefineAuthChallenge').length, 1);
});
