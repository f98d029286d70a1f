// Cognate with the AWS SDK for JavaScript v3 (node --test).
//
// The server comes from cognate-server.mjs (its own, or COGNATE_ENDPOINT's).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  AddCustomAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ResourceNotFoundException,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { REGION, startCognate } from './cognate-server.mjs';

let endpoint;
let credentials;
let server; // from startCognate(): { endpoint, credentials, stop() }
let client;

before(async () => {
  server = await startCognate();
  ({ endpoint, credentials } = server);
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials,
    maxAttempts: 1 });
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

const unique = (p) => `${p}-${crypto.randomBytes(5).toString('hex')}`;

function assertOk(out) {
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.ok(out.$metadata.requestId, 'no request id ($metadata.requestId)');
}

function assertDate(d, what) {
  assert.ok(d instanceof Date && !Number.isNaN(d.getTime()), `${what} is not a valid date: ${d}`);
  assert.ok(Math.abs(Date.now() - d.getTime()) < 3600e3, `${what} is not about now: ${d}`);
}

const state = {};

test('CreateUserPool + DescribeUserPool', async () => {
  const name = unique('node');
  const out = await client.send(new CreateUserPoolCommand({
    PoolName: name,
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: false } },
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'tenant', AttributeDataType: 'String', Mutable: true }],
    UserPoolTags: { suite: 'node' },
  }));
  assertOk(out);
  const pool = out.UserPool;
  assert.match(pool.Id, /^us-east-1_[0-9A-Za-z]{9}$/);
  assert.equal(pool.Name, name);
  assertDate(pool.CreationDate, 'CreationDate');
  assertDate(pool.LastModifiedDate, 'LastModifiedDate');
  state.poolId = pool.Id;

  const d = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
  assertOk(d);
  assert.equal(d.UserPool.Id, pool.Id);
  assert.equal(d.UserPool.Policies.PasswordPolicy.MinimumLength, 10);
  assert.equal(d.UserPool.Policies.PasswordPolicy.RequireSymbols, false);
  assert.deepEqual(d.UserPool.AutoVerifiedAttributes, ['email']);
  assert.deepEqual(d.UserPool.UserPoolTags, { suite: 'node' });
  assert.equal(d.UserPool.MfaConfiguration, 'OFF');
  const names = d.UserPool.SchemaAttributes.map((a) => a.Name);
  assert.ok(names.includes('custom:tenant'), `custom:tenant missing from ${names}`);
  assert.ok(names.includes('email') && names.includes('sub'));
});

test('UpdateUserPool', async () => {
  const out = await client.send(new UpdateUserPoolCommand({
    UserPoolId: state.poolId,
    Policies: { PasswordPolicy: { MinimumLength: 15 } },
    AutoVerifiedAttributes: ['email'],
    UserPoolTags: { suite: 'node', updated: 'yes' },
  }));
  assertOk(out);
  const d = await client.send(new DescribeUserPoolCommand({ UserPoolId: state.poolId }));
  assert.equal(d.UserPool.Policies.PasswordPolicy.MinimumLength, 15);
  assert.deepEqual(d.UserPool.UserPoolTags, { suite: 'node', updated: 'yes' });
});

test('ListUserPools (paged)', async () => {
  const ids = [];
  let NextToken;
  let pages = 0;
  do {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken }));
    assertOk(page);
    assert.ok(page.UserPools.length <= 2);
    for (const p of page.UserPools) {
      ids.push(p.Id);
      assertDate(p.CreationDate, 'ListUserPools CreationDate');
    }
    NextToken = page.NextToken;
    pages += 1;
    assert.ok(pages < 1000);
  } while (NextToken);
  assert.ok(ids.includes(state.poolId), 'created pool not listed');
  assert.equal(new Set(ids).size, ids.length, 'duplicates across pages');
});

test('AddCustomAttributes', async () => {
  const out = await client.send(new AddCustomAttributesCommand({
    UserPoolId: state.poolId,
    CustomAttributes: [{ Name: 'dept', AttributeDataType: 'String', Mutable: true }],
  }));
  assertOk(out);
  const d = await client.send(new DescribeUserPoolCommand({ UserPoolId: state.poolId }));
  assert.ok(d.UserPool.SchemaAttributes.some((a) => a.Name === 'custom:dept'));
});

test('CreateUserPoolClient (GenerateSecret) + DescribeUserPoolClient', async () => {
  const out = await client.send(new CreateUserPoolClientCommand({
    UserPoolId: state.poolId,
    ClientName: 'node-app',
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AccessTokenValidity: 30,
    TokenValidityUnits: { AccessToken: 'minutes' },
    ReadAttributes: ['email', 'custom:tenant'],
  }));
  assertOk(out);
  const c = out.UserPoolClient;
  assert.match(c.ClientId, /^[a-z0-9]{26}$/);
  assert.ok(c.ClientSecret && /^[\w+]+$/.test(c.ClientSecret), `secret: ${c.ClientSecret}`);
  assertDate(c.CreationDate, 'client CreationDate');
  state.clientId = c.ClientId;
  state.clientSecret = c.ClientSecret;

  const d = await client.send(new DescribeUserPoolClientCommand({
    UserPoolId: state.poolId, ClientId: c.ClientId }));
  assertOk(d);
  assert.equal(d.UserPoolClient.ClientSecret, c.ClientSecret);
  assert.equal(d.UserPoolClient.AccessTokenValidity, 30);
  assert.deepEqual(d.UserPoolClient.TokenValidityUnits?.AccessToken, 'minutes');
  assert.deepEqual([...d.UserPoolClient.ExplicitAuthFlows].sort(),
    ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
});

test('ListUserPoolClients', async () => {
  const out = await client.send(new ListUserPoolClientsCommand({
    UserPoolId: state.poolId, MaxResults: 10 }));
  assertOk(out);
  assert.deepEqual(out.UserPoolClients, [
    { ClientId: state.clientId, ClientName: 'node-app', UserPoolId: state.poolId }]);
});

test('UpdateUserPoolClient', async () => {
  const out = await client.send(new UpdateUserPoolClientCommand({
    UserPoolId: state.poolId, ClientId: state.clientId, ClientName: 'node-app-2',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    RefreshTokenValidity: 7,
  }));
  assertOk(out);
  assert.equal(out.UserPoolClient.ClientName, 'node-app-2');
  assert.equal(out.UserPoolClient.RefreshTokenValidity, 7);
  assert.equal(out.UserPoolClient.ClientSecret, state.clientSecret);
});

test('DeleteUserPoolClient', async () => {
  assertOk(await client.send(new DeleteUserPoolClientCommand({
    UserPoolId: state.poolId, ClientId: state.clientId })));
  await assert.rejects(client.send(new DescribeUserPoolClientCommand({
    UserPoolId: state.poolId, ClientId: state.clientId })), { name: 'ResourceNotFoundException' });
});

test('errors: ResourceNotFoundException is typed, 400, with request id', async () => {
  let err;
  try {
    await client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_ZZZZZZZZZ' }));
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'DescribeUserPool of an unknown pool succeeded');
  assert.equal(err.name, 'ResourceNotFoundException');
  assert.ok(err instanceof ResourceNotFoundException, 'not deserialized to the modelled class');
  assert.equal(err.$metadata.httpStatusCode, 400);
  assert.equal(err.$fault, 'client');
  assert.ok(err.$metadata.requestId, 'error without request id');
  assert.ok(err.message && err.message !== 'UnknownError', `message: ${err.message}`);
});

test('errors: validation and signature problems', async () => {
  await assert.rejects(client.send(new CreateUserPoolCommand({ PoolName: 'x'.repeat(129) })),
    (e) => e.name === 'InvalidParameterException' && e.$metadata.httpStatusCode === 400);
  const wrong = new CognitoIdentityProviderClient({ region: REGION, endpoint, maxAttempts: 1,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) } });
  try {
    await assert.rejects(wrong.send(new ListUserPoolsCommand({ MaxResults: 1 })),
      { name: 'InvalidSignatureException' });
  } finally {
    wrong.destroy();
  }
});

test('DeleteUserPool', async () => {
  assertOk(await client.send(new DeleteUserPoolCommand({ UserPoolId: state.poolId })));
  await assert.rejects(client.send(new DescribeUserPoolCommand({ UserPoolId: state.poolId })),
    { name: 'ResourceNotFoundException' });
});
