// USER_SRP_AUTH with amazon-cognito-identity-js (its default flow): the library computes the
// client half of SRP, so a sign-in proves Cognate's verifier, SECRET_BLOCK and claim check are
// what the clients expect (cognito-wire.md §4). Also the NEW_PASSWORD_REQUIRED challenge of an
// AdminCreateUser temporary password (§6.3) and refreshSession (InitiateAuth REFRESH_TOKEN_AUTH).
//
// Server: see cognate-server.mjs.

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
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

import { REGION, startCognate } from './cognate-server.mjs';
import { tokenVerifier, verifyPair } from './jwt-check.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;
const PASSWORD = 'Passw0rd!';
const TEMPORARY = 'Temp0rary!';
const NEW_PASSWORD = 'N3wPassw0rd!';

let server;
let client;
const state = {};

const unique = (p) => `${p}-${crypto.randomBytes(5).toString('hex')}`;

before(async () => {
  server = await startCognate();
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: server.endpoint,
    credentials: server.credentials, maxAttempts: 1 });
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: unique('node-srp') }));
  state.poolId = pool.UserPool.Id;
  const c = await client.send(new CreateUserPoolClientCommand({
    UserPoolId: state.poolId, ClientName: 'node-srp',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  state.clientId = c.UserPoolClient.ClientId;
  state.username = unique('srp');
  await client.send(new AdminCreateUserCommand({ UserPoolId: state.poolId,
    Username: state.username, MessageAction: 'SUPPRESS' }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: state.poolId,
    Username: state.username, Password: PASSWORD, Permanent: true }));
});

after(async () => {
  await server?.stop();
});

function userPool(poolId = state.poolId, clientId = state.clientId) {
  return new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId,
    endpoint: `${server.endpoint.replace(/\/$/, '')}/` });
}

// authenticateUser as a promise: resolves with the session, rejects with the error.
function signIn(username, password, pool = userPool()) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return new Promise((resolve, reject) => {
    user.authenticateUser(details, {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    });
  });
}

test('amazon-cognito-identity-js signs in with SRP and gets working tokens', async () => {
  const session = await signIn(state.username, PASSWORD);
  assert.ok(session.isValid());
  const access = session.getAccessToken().getJwtToken();
  assert.equal(session.getAccessToken().decodePayload().username, state.username);
  assert.ok(session.getIdToken().getJwtToken());
  assert.ok(session.getRefreshToken().getToken());
  const me = await client.send(new GetUserCommand({ AccessToken: access }));
  assert.equal(me.Username, state.username);
});

test('a wrong password fails with NotAuthorizedException', async () => {
  await assert.rejects(signIn(state.username, 'Wr0ngPassword!'), (err) => {
    assert.equal(err.code, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
    return true;
  });
});

// authenticateUser up to NEW_PASSWORD_REQUIRED: resolves with { user, userAttributes,
// requiredAttributes } (the CognitoUser keeps the challenge Session for the answer).
function signInToNewPassword(username, password, pool) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return new Promise((resolve, reject) => {
    user.authenticateUser(details, {
      onSuccess: () => reject(new Error('signed in without NEW_PASSWORD_REQUIRED')),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) =>
        resolve({ user, userAttributes, requiredAttributes }),
    });
  });
}

function completeNewPassword(user, newPassword, attributes) {
  return new Promise((resolve, reject) => {
    user.completeNewPasswordChallenge(newPassword, attributes, {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('NEW_PASSWORD_REQUIRED again')),
    });
  });
}

function refreshSession(user, refreshToken) {
  return new Promise((resolve, reject) => {
    user.refreshSession(refreshToken, (err, session) => (err ? reject(err) : resolve(session)));
  });
}

function rejectsWithCode(promise, code, message) {
  return assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `${err.code}: ${err.message}`);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

describe('AdminCreateUser temporary password: NEW_PASSWORD_REQUIRED', () => {
  const np = {};

  // A pool that requires `name`, which the admin leaves out: the challenge asks for it.
  before(async () => {
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: unique('node-newpw'),
      Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }] }));
    np.poolId = pool.UserPool.Id;
    const c = await client.send(new CreateUserPoolClientCommand({
      UserPoolId: np.poolId, ClientName: 'node-newpw',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    np.clientId = c.UserPoolClient.ClientId;
    np.pool = userPool(np.poolId, np.clientId);
    np.username = unique('temp');
    np.email = `${np.username}@example.com`;
    const u = await client.send(new AdminCreateUserCommand({ UserPoolId: np.poolId,
      Username: np.username, MessageAction: 'SUPPRESS', TemporaryPassword: TEMPORARY,
      UserAttributes: [{ Name: 'email', Value: np.email },
        { Name: 'email_verified', Value: 'true' }] }));
    assert.equal(u.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    np.sub = u.User.Attributes.find((a) => a.Name === 'sub').Value;
  });

  test('the temporary password leads to newPasswordRequired with the attributes', async () => {
    const { userAttributes, requiredAttributes } =
      await signInToNewPassword(np.username, TEMPORARY, np.pool);
    assert.equal(userAttributes.email, np.email);
    assert.equal(userAttributes.sub, undefined, 'sub is not offered for editing');
    assert.deepEqual(requiredAttributes, ['name']);
    // A wrong temporary password never reaches the challenge.
    await rejectsWithCode(signInToNewPassword(np.username, 'Wr0ngTemp!', np.pool),
      'NotAuthorizedException', 'Incorrect username or password.');
  });

  test('completeNewPasswordChallenge insists on the required attribute and the policy',
    async () => {
      const first = await signInToNewPassword(np.username, TEMPORARY, np.pool);
      await rejectsWithCode(completeNewPassword(first.user, NEW_PASSWORD, {}),
        'InvalidParameterException',
        'Attributes did not conform to the schema: name: The attribute name is required');
      const second = await signInToNewPassword(np.username, TEMPORARY, np.pool);
      await rejectsWithCode(completeNewPassword(second.user, 'short', { name: 'Temp User' }),
        'InvalidPasswordException');
      const u = await client.send(new AdminGetUserCommand({ UserPoolId: np.poolId,
        Username: np.username }));
      assert.equal(u.UserStatus, 'FORCE_CHANGE_PASSWORD', 'refused answers change nothing');
    });

  test('completeNewPasswordChallenge signs in; refreshSession gives new valid tokens',
    async () => {
      const { user } = await signInToNewPassword(np.username, TEMPORARY, np.pool);
      const session = await completeNewPassword(user, NEW_PASSWORD, { name: 'Temp User' });
      assert.ok(session.isValid());
      const verifier = await tokenVerifier(`${server.endpoint}/${np.poolId}`, np.clientId);
      const signedIn = await verifyPair(verifier, session.getIdToken().getJwtToken(),
        session.getAccessToken().getJwtToken());
      assert.equal(signedIn.id.sub, np.sub);
      assert.equal(signedIn.id['cognito:username'], np.username);
      assert.equal(signedIn.id.name, 'Temp User');
      assert.equal(signedIn.id.email, np.email);
      const u = await client.send(new AdminGetUserCommand({ UserPoolId: np.poolId,
        Username: np.username }));
      assert.equal(u.UserStatus, 'CONFIRMED');
      assert.equal(u.UserAttributes.find((a) => a.Name === 'name')?.Value, 'Temp User');

      const refreshed = await refreshSession(user, session.getRefreshToken());
      const access = refreshed.getAccessToken().getJwtToken();
      assert.notEqual(access, session.getAccessToken().getJwtToken());
      assert.notEqual(refreshed.getIdToken().getJwtToken(), session.getIdToken().getJwtToken());
      assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken(),
        'REFRESH_TOKEN_AUTH does not rotate');
      const after = await verifyPair(verifier, refreshed.getIdToken().getJwtToken(), access);
      assert.equal(after.access.username, np.username);
      assert.equal(after.id.sub, np.sub);
      assert.notEqual(after.access.jti, signedIn.access.jti);
      assert.equal(after.access.origin_jti, signedIn.access.origin_jti);
      assert.equal(after.access.auth_time, signedIn.access.auth_time);
      const me = await client.send(new GetUserCommand({ AccessToken: access }));
      assert.equal(me.Username, np.username);
    });

  test('afterwards the new password signs in and the temporary one does not', async () => {
    const session = await signIn(np.username, NEW_PASSWORD, np.pool);
    assert.equal(session.getAccessToken().decodePayload().username, np.username);
    await rejectsWithCode(signIn(np.username, TEMPORARY, np.pool), 'NotAuthorizedException',
      'Incorrect username or password.');
  });
});
