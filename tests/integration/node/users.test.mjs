// Users, sign-in and tokens with the AWS SDK for JavaScript v3 (node --test), and the tokens
// checked with aws-jwt-verify's generic JwtVerifier (its JWKS fetcher needs https, so the JWKS
// is fetched here and preloaded with cacheJwks).
//
// Server: see cognate-server.mjs (COGNATE_ENDPOINT / COGNATE_DATA_DIR to use a running one; the
// confirmation-code test needs the data dir for <data>/outbox.jsonl).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  NotAuthorizedException,
  SignUpCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';

import { REGION, startCognate, waitMessage } from './cognate-server.mjs';
import { tokenVerifier } from './jwt-check.mjs';

const PASSWORD = 'Passw0rd!';
const SCOPE = 'aws.cognito.signin.user.admin';

let server;
let client;
const state = {};

before(async () => {
  server = await startCognate();
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: server.endpoint,
    credentials: server.credentials, maxAttempts: 1 });
  const pool = await client.send(new CreateUserPoolCommand({
    PoolName: unique('node-users'), AutoVerifiedAttributes: ['email'] }));
  state.poolId = pool.UserPool.Id;
  const c = await client.send(new CreateUserPoolClientCommand({
    UserPoolId: state.poolId, ClientName: 'node-users',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AccessTokenValidity: 30, IdTokenValidity: 45,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
  }));
  state.clientId = c.UserPoolClient.ClientId;
  state.issuer = `${server.endpoint}/${state.poolId}`;
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

function unique(p) {
  return `${p}-${crypto.randomBytes(5).toString('hex')}`;
}

function assertOk(out) {
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.ok(out.$metadata.requestId, 'no request id ($metadata.requestId)');
}

async function rejectsWith(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, 400, `HTTP status of ${name}`);
    assert.ok(e.$metadata?.requestId, 'error without request id');
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

const verifierFor = (clientId) => tokenVerifier(state.issuer, clientId);

const attrMap = (list) => Object.fromEntries(list.map((a) => [a.Name, a.Value]));

test('SignUp + ConfirmSignUp with the code from the outbox', async (t) => {
  state.username = unique('js');
  state.email = `${state.username}@example.com`;
  const out = await client.send(new SignUpCommand({
    ClientId: state.clientId, Username: state.username, Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: state.email }, { Name: 'name', Value: 'JS User' }],
  }));
  assertOk(out);
  assert.equal(out.UserConfirmed, false);
  assert.match(out.UserSub, /^[0-9a-f-]{36}$/);
  assert.equal(out.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
  assert.equal(out.CodeDeliveryDetails.AttributeName, 'email');
  assert.notEqual(out.CodeDeliveryDetails.Destination, state.email, 'destination is masked');
  state.sub = out.UserSub;

  if (!server.dataDir) {
    t.diagnostic('no data dir (COGNATE_DATA_DIR): confirming with AdminConfirmSignUp instead');
    await client.send(new AdminConfirmSignUpCommand({ UserPoolId: state.poolId,
      Username: state.username }));
    return;
  }
  const m = await waitMessage(server.dataDir, { pool_id: state.poolId,
    username: state.username, purpose: 'signup' });
  assert.equal(m.channel, 'EMAIL');
  assert.equal(m.destination, state.email);
  assert.match(m.code, /^\d{6}$/);
  await rejectsWith(client.send(new InitiateAuthCommand({
    ClientId: state.clientId, AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: state.username, PASSWORD } })), 'UserNotConfirmedException');
  const wrong = m.code === '000000' ? '111111' : '000000';
  await rejectsWith(client.send(new ConfirmSignUpCommand({ ClientId: state.clientId,
    Username: state.username, ConfirmationCode: wrong })), 'CodeMismatchException');
  assertOk(await client.send(new ConfirmSignUpCommand({ ClientId: state.clientId,
    Username: state.username, ConfirmationCode: m.code })));
});

test('AdminGetUser after confirmation', async () => {
  const u = await client.send(new AdminGetUserCommand({ UserPoolId: state.poolId,
    Username: state.username }));
  assertOk(u);
  assert.equal(u.Username, state.username);
  assert.equal(u.UserStatus, 'CONFIRMED');
  assert.equal(u.Enabled, true);
  assert.ok(u.UserCreateDate instanceof Date && !Number.isNaN(u.UserCreateDate.getTime()));
  const a = attrMap(u.UserAttributes);
  assert.equal(a.sub, state.sub);
  assert.equal(a.email, state.email);
  assert.equal(a.name, 'JS User');
});

test('CreateGroup + AdminAddUserToGroup', async () => {
  const g = await client.send(new CreateGroupCommand({ UserPoolId: state.poolId,
    GroupName: 'readers', Description: 'can read', Precedence: 2 }));
  assertOk(g);
  assert.equal(g.Group.GroupName, 'readers');
  assert.equal(g.Group.Precedence, 2);
  assert.ok(g.Group.CreationDate instanceof Date);
  assertOk(await client.send(new AdminAddUserToGroupCommand({ UserPoolId: state.poolId,
    Username: state.username, GroupName: 'readers' })));
  await rejectsWith(client.send(new CreateGroupCommand({ UserPoolId: state.poolId,
    GroupName: 'readers' })), 'GroupExistsException');
});

test('InitiateAuth USER_PASSWORD_AUTH; tokens verify with aws-jwt-verify', async () => {
  const out = await client.send(new InitiateAuthCommand({
    ClientId: state.clientId, AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: state.username, PASSWORD } }));
  assertOk(out);
  assert.equal(out.ChallengeName, undefined);
  const r = out.AuthenticationResult;
  assert.equal(r.TokenType, 'Bearer');
  assert.equal(r.ExpiresIn, 1800);
  assert.ok(r.RefreshToken);
  state.tokens = r;

  const verifier = await verifierFor(state.clientId);
  const id = await verifier.verify(r.IdToken);
  assert.equal(id.token_use, 'id');
  assert.equal(id.iss, state.issuer);
  assert.equal(id.aud, state.clientId);
  assert.equal(id.sub, state.sub);
  assert.equal(id['cognito:username'], state.username);
  assert.deepEqual(id['cognito:groups'], ['readers']);
  assert.equal(id.email, state.email);
  assert.equal(id.email_verified, true);
  assert.equal(id.exp - id.iat, 45 * 60);

  const access = await verifier.verify(r.AccessToken);
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, state.clientId);
  assert.equal(access.aud, undefined);
  assert.equal(access.username, state.username);
  assert.equal(access.scope, SCOPE);
  assert.deepEqual(access['cognito:groups'], ['readers']);
  assert.equal(access.exp - access.iat, 30 * 60);
  assert.ok(access.jti && access.origin_jti);
  assert.equal(access.origin_jti, id.origin_jti);
});

test('aws-jwt-verify rejects tampered tokens and tokens of another client', async () => {
  const verifier = await verifierFor(state.clientId);
  const [h, p, s] = state.tokens.AccessToken.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const evil = Buffer.from(JSON.stringify({ ...claims, username: 'root' })).toString('base64url');
  await assert.rejects(verifier.verify(`${h}.${evil}.${s}`), /signature/i);
  const flipped = s.slice(0, -4) + (s.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  await assert.rejects(verifier.verify(`${h}.${p}.${flipped}`));
  const other = await verifierFor('someotherclientid000000000');
  await assert.rejects(other.verify(state.tokens.AccessToken), /client_id/);
  await assert.rejects(other.verify(state.tokens.IdToken), /aud/);
});

test('GetUser with the access token', async () => {
  const u = await client.send(new GetUserCommand({ AccessToken: state.tokens.AccessToken }));
  assertOk(u);
  assert.equal(u.Username, state.username);
  const a = attrMap(u.UserAttributes);
  assert.equal(a.sub, state.sub);
  assert.equal(a.email, state.email);
  assert.equal(a.email_verified, 'true');
});

test('GetTokensFromRefreshToken', async () => {
  const out = await client.send(new GetTokensFromRefreshTokenCommand({
    ClientId: state.clientId, RefreshToken: state.tokens.RefreshToken }));
  assertOk(out);
  const r = out.AuthenticationResult;
  assert.equal(r.TokenType, 'Bearer');
  assert.equal(r.ExpiresIn, 1800);
  const verifier = await verifierFor(state.clientId);
  const access = await verifier.verify(r.AccessToken);
  const before = await verifier.verify(state.tokens.AccessToken);
  assert.equal(access.username, state.username);
  assert.equal(access.origin_jti, before.origin_jti);
  assert.equal(access.auth_time, before.auth_time);
  assert.notEqual(access.jti, before.jti);
  await verifier.verify(r.IdToken);
  state.refreshed = r;
});

test('GlobalSignOut revokes access and refresh tokens', async () => {
  assertOk(await client.send(new GlobalSignOutCommand({
    AccessToken: state.tokens.AccessToken })));
  for (const token of [state.tokens.AccessToken, state.refreshed.AccessToken]) {
    await assert.rejects(client.send(new GetUserCommand({ AccessToken: token })), (e) => {
      assert.ok(e instanceof NotAuthorizedException, `${e.name}: ${e.message}`);
      assert.equal(e.message, 'Access Token has been revoked');
      return true;
    });
  }
  await rejectsWith(client.send(new GetTokensFromRefreshTokenCommand({
    ClientId: state.clientId, RefreshToken: state.tokens.RefreshToken })),
  'NotAuthorizedException');
  // Still valid offline: revocation is only known to the server.
  await (await verifierFor(state.clientId)).verify(state.tokens.AccessToken);
  const again = await client.send(new InitiateAuthCommand({
    ClientId: state.clientId, AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: state.username, PASSWORD } }));
  // Signed in again right after the sign-out (usually within the same second).
  try {
    assertOk(await client.send(new GetUserCommand({
      AccessToken: again.AuthenticationResult.AccessToken })));
  } catch (e) {
    assert.fail(`an access token issued after GlobalSignOut is refused: ${e.name}: ${e.message}`);
  }
});

test('AdminCreateUser + ListUsers (filter, paging)', async () => {
  const prefix = unique('adm');
  for (let i = 0; i < 5; i += 1) {
    const out = await client.send(new AdminCreateUserCommand({
      UserPoolId: state.poolId, Username: `${prefix}-${i}`, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${prefix}-${i}@example.com` }] }));
    assertOk(out);
    assert.equal(out.User.Username, `${prefix}-${i}`);
    assert.equal(out.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.ok(out.User.Attributes.some((a) => a.Name === 'sub'));
  }
  const seen = [];
  let PaginationToken;
  let pages = 0;
  do {
    const page = await client.send(new ListUsersCommand({ UserPoolId: state.poolId, Limit: 2,
      PaginationToken }));
    assertOk(page);
    assert.ok(page.Users.length <= 2);
    seen.push(...page.Users.map((u) => u.Username));
    PaginationToken = page.PaginationToken;
    pages += 1;
    assert.ok(pages < 100);
  } while (PaginationToken);
  assert.equal(new Set(seen).size, seen.length, 'duplicates across pages');
  assert.deepEqual([...seen].sort(),
    [state.username, ...[0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`)].sort());

  const exact = await client.send(new ListUsersCommand({ UserPoolId: state.poolId,
    Filter: `email = "${prefix}-3@example.com"` }));
  assert.deepEqual(exact.Users.map((u) => u.Username), [`${prefix}-3`]);
  const byPrefix = await client.send(new ListUsersCommand({ UserPoolId: state.poolId,
    Filter: `username ^= "${prefix}"`, AttributesToGet: ['email'] }));
  assert.equal(byPrefix.Users.length, 5);
  for (const u of byPrefix.Users) assert.deepEqual(u.Attributes.map((a) => a.Name), ['email']);
});

test('errors: typed exceptions with Cognito messages', async () => {
  await assert.rejects(client.send(new SignUpCommand({ ClientId: state.clientId,
    Username: state.username, Password: PASSWORD })), (e) => {
    assert.ok(e instanceof UsernameExistsException, `${e.name}: ${e.message}`);
    assert.equal(e.message, 'User already exists');
    return true;
  });
  await rejectsWith(client.send(new InitiateAuthCommand({
    ClientId: state.clientId, AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: state.username, PASSWORD: 'Wr0ng-Password' } })),
  'NotAuthorizedException', 'Incorrect username or password.');
  await assert.rejects(client.send(new AdminGetUserCommand({ UserPoolId: state.poolId,
    Username: unique('ghost') })), (e) => {
    assert.ok(e instanceof UserNotFoundException, `${e.name}: ${e.message}`);
    assert.equal(e.message, 'User does not exist.');
    return true;
  });
  await rejectsWith(client.send(new SignUpCommand({ ClientId: state.clientId,
    Username: unique('weak'), Password: 'alllowercase1!' })), 'InvalidPasswordException',
  'Password did not conform with policy: Password must have uppercase characters');
  await rejectsWith(client.send(new GetUserCommand({ AccessToken: 'garbage' })),
    'NotAuthorizedException', 'Invalid Access Token');
  await rejectsWith(client.send(new GetTokensFromRefreshTokenCommand({
    ClientId: state.clientId, RefreshToken: 'garbage' })), 'NotAuthorizedException');
});
