// Amplify v6 (aws-amplify/auth) against Cognate, pointed at it with Auth.Cognito.userPoolEndpoint
// (Amplify then posts every user-pool call to that URL as is). In Node, Amplify keeps its tokens
// in memory (no window.localStorage), so no storage shim is needed.
//
// Amplify hides its wire calls, so it talks to Cognate through a recording proxy
// (recording-proxy.mjs) and the tests assert which actions it used: sign-in is SRP by default
// (InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge PASSWORD_VERIFIER), a forced refresh is
// GetTokensFromRefreshToken, and signOut revokes the refresh token with RevokeToken.
//
// Server: see cognate-server.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn, fetchAuthSession, getCurrentUser, signIn, signOut,
} from 'aws-amplify/auth';

import { REGION, startCognate } from './cognate-server.mjs';
import { tokenVerifier, verifyPair } from './jwt-check.mjs';
import { startRecordingProxy } from './recording-proxy.mjs';

const PASSWORD = 'Passw0rd!';
const TARGET = 'AWSCognitoIdentityProviderService.';

let server;
let proxy;
let client;
const state = {};

const unique = (p) => `${p}-${crypto.randomBytes(5).toString('hex')}`;

before(async () => {
  server = await startCognate();
  proxy = await startRecordingProxy(server.endpoint);
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: server.endpoint,
    credentials: server.credentials, maxAttempts: 1 });
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: unique('node-amplify') }));
  state.poolId = pool.UserPool.Id;
  state.issuer = `${server.endpoint}/${state.poolId}`;
  state.clientId = await createClient('amplify', {});
  state.rotatingClientId = await createClient('amplify-rotating', {
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } });
  state.username = unique('amp');
  state.email = `${state.username}@example.com`;
  state.sub = await createUser(state.username, { email: state.email });
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: state.poolId,
    Username: state.username, Password: PASSWORD, Permanent: true }));
});

after(async () => {
  client?.destroy();
  await proxy?.stop();
  await server?.stop();
});

async function createClient(name, extra) {
  const c = await client.send(new CreateUserPoolClientCommand({
    UserPoolId: state.poolId, ClientName: name,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...extra }));
  return c.UserPoolClient.ClientId;
}

// AdminCreateUser (no message); returns the sub.
async function createUser(username, attrs, temporaryPassword) {
  const out = await client.send(new AdminCreateUserCommand({ UserPoolId: state.poolId,
    Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: temporaryPassword,
    UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })) }));
  return out.User.Attributes.find((a) => a.Name === 'sub').Value;
}

function configureAmplify(clientId) {
  Amplify.configure({ Auth: { Cognito: { userPoolId: state.poolId, userPoolClientId: clientId,
    userPoolEndpoint: proxy.endpoint } } });
}

// The calls since `mark` as "Action[/AuthFlow or ChallengeName answered] -> status[/error]".
function wire(mark) {
  return proxy.since(mark).map((c) => {
    const detail = c.authFlow ?? c.challengeAnswered;
    const outcome = c.error ? `${c.status}/${c.error.replace(/^.*#/, '')}` : `${c.status}`;
    return `${c.action}${detail ? `/${detail}` : ''} -> ${outcome}`;
  });
}

function last(mark, action) {
  const found = proxy.since(mark).filter((c) => c.action === action);
  assert.ok(found.length, `no ${action} call`);
  return found[found.length - 1];
}

async function refreshTokenRejected(clientId, refreshToken, name, message) {
  await assert.rejects(client.send(new GetTokensFromRefreshTokenCommand({
    ClientId: clientId, RefreshToken: refreshToken })), (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

async function assertSignedOut() {
  assert.equal((await fetchAuthSession()).tokens, undefined);
  await assert.rejects(getCurrentUser(), (e) => {
    assert.equal(e.name, 'UserUnAuthenticatedException');
    return true;
  });
}

describe('Amplify v6 with a client without rotation', () => {
  before(() => configureAmplify(state.clientId));

  test('signIn uses SRP by default (USER_SRP_AUTH, PASSWORD_VERIFIER)', async () => {
    const mark = proxy.mark();
    const out = await signIn({ username: state.username, password: PASSWORD });
    assert.equal(out.isSignedIn, true);
    assert.equal(out.nextStep.signInStep, 'DONE');
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_SRP_AUTH -> 200',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> 200',
    ]);
    const calls = proxy.since(mark);
    assert.ok(calls.every((c) => c.target.startsWith(TARGET)));
    assert.equal(calls[0].challenge, 'PASSWORD_VERIFIER');
    state.signInTokens = calls[1].tokens;
    assert.ok(state.signInTokens.RefreshToken);

    const me = await getCurrentUser();
    assert.equal(me.username, state.username);
    assert.equal(me.userId, state.sub);
    assert.equal(me.signInDetails.authFlowType, 'USER_SRP_AUTH');
  });

  test('fetchAuthSession returns the user\'s tokens, verified against the JWKS', async () => {
    const mark = proxy.mark();
    const { tokens } = await fetchAuthSession();
    assert.deepEqual(wire(mark), [], 'fresh tokens need no call');
    assert.equal(tokens.accessToken.toString(), state.signInTokens.AccessToken);
    assert.equal(tokens.idToken.toString(), state.signInTokens.IdToken);
    const verifier = await tokenVerifier(state.issuer, state.clientId);
    const { id, access } = await verifyPair(verifier, tokens.idToken.toString(),
      tokens.accessToken.toString());
    assert.equal(id.sub, state.sub);
    assert.equal(id['cognito:username'], state.username);
    assert.equal(id.aud, state.clientId);
    assert.equal(id.email, state.email);
    assert.equal(access.username, state.username);
    assert.equal(access.client_id, state.clientId);
    assert.equal(access.scope, 'aws.cognito.signin.user.admin');
    assert.deepEqual(tokens.accessToken.payload, access, 'Amplify decodes the same claims');
    state.session = { id, access, accessToken: tokens.accessToken.toString() };
  });

  test('fetchAuthSession({forceRefresh}) refreshes with GetTokensFromRefreshToken', async () => {
    const mark = proxy.mark();
    const { tokens } = await fetchAuthSession({ forceRefresh: true });
    assert.deepEqual(wire(mark), ['GetTokensFromRefreshToken -> 200']);
    const call = last(mark, 'GetTokensFromRefreshToken');
    assert.ok(call.sentRefreshToken === state.signInTokens.RefreshToken,
      'refreshed with the sign-in refresh token');
    assert.equal(call.tokens.RefreshToken, undefined, 'no rotation without RefreshTokenRotation');
    assert.equal(tokens.accessToken.toString(), call.tokens.AccessToken);
    assert.notEqual(tokens.accessToken.toString(), state.session.accessToken);
    assert.notEqual(tokens.idToken.toString(), state.signInTokens.IdToken);

    const verifier = await tokenVerifier(state.issuer, state.clientId);
    const { id, access } = await verifyPair(verifier, tokens.idToken.toString(),
      tokens.accessToken.toString());
    assert.equal(id.sub, state.sub);
    assert.equal(access.username, state.username);
    assert.notEqual(access.jti, state.session.access.jti);
    assert.equal(access.origin_jti, state.session.access.origin_jti, 'same sign-in session');
    assert.equal(access.auth_time, state.session.access.auth_time);
    const me = await client.send(new GetUserCommand({
      AccessToken: tokens.accessToken.toString() }));
    assert.equal(me.Username, state.username);

    // Without rotation Amplify keeps using the same refresh token.
    const again = proxy.mark();
    await fetchAuthSession({ forceRefresh: true });
    assert.deepEqual(wire(again), ['GetTokensFromRefreshToken -> 200']);
    assert.ok(last(again, 'GetTokensFromRefreshToken').sentRefreshToken ===
      state.signInTokens.RefreshToken);
    state.refreshedAccessToken = tokens.accessToken.toString();
  });

  test('signOut revokes the refresh token (RevokeToken) and forgets the session', async () => {
    const mark = proxy.mark();
    await signOut();
    assert.deepEqual(wire(mark), ['RevokeToken -> 200']);
    assert.ok(last(mark, 'RevokeToken').sentRefreshToken === state.signInTokens.RefreshToken);
    await assertSignedOut();
    await refreshTokenRejected(state.clientId, state.signInTokens.RefreshToken,
      'NotAuthorizedException', 'Refresh Token has been revoked');
    for (const token of [state.session.accessToken, state.refreshedAccessToken]) {
      await assert.rejects(client.send(new GetUserCommand({ AccessToken: token })), (e) => {
        assert.equal(e.name, 'NotAuthorizedException');
        assert.equal(e.message, 'Access Token has been revoked');
        return true;
      });
    }
  });

  test('a wrong password fails with NotAuthorizedException at PASSWORD_VERIFIER', async () => {
    const mark = proxy.mark();
    await assert.rejects(signIn({ username: state.username, password: 'Wr0ngPassword!' }), (e) => {
      assert.equal(e.name, 'NotAuthorizedException');
      assert.equal(e.message, 'Incorrect username or password.');
      return true;
    });
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_SRP_AUTH -> 200',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> 400/NotAuthorizedException',
    ]);
    await assertSignedOut();
    // The right password still works afterwards, and signOut again ends it.
    assert.equal((await signIn({ username: state.username, password: PASSWORD })).isSignedIn,
      true);
    assert.equal((await getCurrentUser()).username, state.username);
    await signOut();
    await assertSignedOut();
  });

  test('a temporary password leads to confirmSignIn with a new password', async () => {
    const username = unique('amp-temp');
    const sub = await createUser(username, { email: `${username}@example.com` }, 'Temp0rary!');
    const mark = proxy.mark();
    const out = await signIn({ username, password: 'Temp0rary!' });
    assert.equal(out.isSignedIn, false);
    assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    assert.deepEqual(out.nextStep.missingAttributes ?? [], []);
    const done = await confirmSignIn({ challengeResponse: 'N3wPassword!' });
    assert.equal(done.isSignedIn, true);
    assert.deepEqual(wire(mark), [
      'InitiateAuth/USER_SRP_AUTH -> 200',
      'RespondToAuthChallenge/PASSWORD_VERIFIER -> 200',
      'RespondToAuthChallenge/NEW_PASSWORD_REQUIRED -> 200',
    ]);
    assert.equal(proxy.since(mark)[1].challenge, 'NEW_PASSWORD_REQUIRED');
    assert.equal((await getCurrentUser()).userId, sub);
    await signOut();
    await assert.rejects(signIn({ username, password: 'Temp0rary!' }),
      (e) => e.name === 'NotAuthorizedException');
    assert.equal((await signIn({ username, password: 'N3wPassword!' })).isSignedIn, true);
    await signOut();
  });
});

describe('Amplify v6 with RefreshTokenRotation enabled', () => {
  before(() => configureAmplify(state.rotatingClientId));

  test('refresh rotates the refresh token and Amplify uses the new one', async () => {
    const mark = proxy.mark();
    assert.equal((await signIn({ username: state.username, password: PASSWORD })).isSignedIn,
      true);
    const first = last(mark, 'RespondToAuthChallenge').tokens.RefreshToken;
    const verifier = await tokenVerifier(state.issuer, state.rotatingClientId);

    const r1 = proxy.mark();
    const s1 = await fetchAuthSession({ forceRefresh: true });
    assert.deepEqual(wire(r1), ['GetTokensFromRefreshToken -> 200']);
    const c1 = last(r1, 'GetTokensFromRefreshToken');
    assert.ok(c1.sentRefreshToken === first);
    assert.ok(c1.tokens.RefreshToken, 'a rotated refresh token');
    assert.ok(c1.tokens.RefreshToken !== first);
    await verifyPair(verifier, s1.tokens.idToken.toString(), s1.tokens.accessToken.toString());

    const r2 = proxy.mark();
    const s2 = await fetchAuthSession({ forceRefresh: true });
    assert.deepEqual(wire(r2), ['GetTokensFromRefreshToken -> 200']);
    const c2 = last(r2, 'GetTokensFromRefreshToken');
    assert.ok(c2.sentRefreshToken === c1.tokens.RefreshToken, 'Amplify kept the rotated token');
    assert.ok(c2.tokens.RefreshToken && c2.tokens.RefreshToken !== c1.tokens.RefreshToken);
    const { access } = await verifyPair(verifier, s2.tokens.idToken.toString(),
      s2.tokens.accessToken.toString());
    assert.equal(access.username, state.username);

    // Replaying the retired first token is reuse: it ends the whole sign-in session, so
    // Amplify's next refresh is refused and it drops its tokens.
    await refreshTokenRejected(state.rotatingClientId, first, 'RefreshTokenReuseException');
    const r3 = proxy.mark();
    assert.equal((await fetchAuthSession({ forceRefresh: true })).tokens, undefined);
    assert.deepEqual(wire(r3), ['GetTokensFromRefreshToken -> 400/NotAuthorizedException']);
    await assertSignedOut();
  });
});
