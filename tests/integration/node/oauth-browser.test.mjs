// OAuth 2.0 / OpenID Connect through Cognate's hosted pages, end to end: openid-client discovers
// the pool, builds an authorization-code + PKCE request, Debian's Chromium (playwright-core)
// signs in on the hosted pages — setting up TOTP on the first sign-in and answering a TOTP code
// on the next — and openid-client exchanges the code, calls userInfo, refreshes, revokes and
// logs out. Also: sign-up, confirmation and password reset pages with codes from the outbox,
// client credentials with a resource-server scope verified by aws-jwt-verify, and a screenshot
// of each hosted page (browser.mjs).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';

import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminSetUserPasswordCommand,
  CreateIdentityProviderCommand, CognitoIdentityProviderClient,
  CreateResourceServerCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  AdminDisableProviderForUserCommand, AdminLinkProviderForUserCommand,
  AdminSetUserMFAPreferenceCommand, CreateUserPoolDomainCommand, SetUICustomizationCommand,
  SetUserPoolMfaConfigCommand, UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import * as oidc from 'openid-client';

import { launchChromium, screenshot } from './browser.mjs';
import { readOutbox, REGION, sleep, startCognate } from './cognate-server.mjs';
import { freshCode, stepAt } from './totp.mjs';

const PASSWORD = 'Passw0rd!';
// A 48x48 PNG: a blue disc, for the branded page.
const LOGO_PNG = 'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAhklEQVR42u3YwQ2AMAwEwWuElqg/3cCfQLAi4'
  + 'lzQWi5gnvbqMBsBAjQHtO0lshmgIKWbpaGUDpZyNHGTcihxlpI1rybla9qmdUBDNQ2TZmmeTCuA0jS3JntQsqY2AQIEC'
  + 'BAgQH8DcX4UTthPQHZfB4/ior+9Y/1w7EOmBc2xMZpWWMI5oMucCiiAfV2+2DsAAAAASUVORK5CYII=';

let server;
let sdk;
let browser;
let appServer;  // stands for the client application: answers its callback and sign-out URLs
let CALLBACK;
let SIGNED_OUT;

before(async () => {
  appServer = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>app</title><p>app</p>');
  });
  await new Promise((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  CALLBACK = `http://localhost:${appServer.address().port}/callback`;
  SIGNED_OUT = `http://localhost:${appServer.address().port}/signed-out`;
  server = await startCognate();
  sdk = new CognitoIdentityProviderClient({ endpoint: server.endpoint, region: REGION,
    credentials: server.credentials });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  appServer?.close();
});

const unique = (p) => `${p}-${crypto.randomBytes(4).toString('hex')}`;

// A pool with a domain and a public code-flow client; `mfa` "ON" requires TOTP.
async function oauthPool({ mfa = 'OFF', signUp = false, lambdaConfig = undefined } = {}) {
  const pool = await sdk.send(new CreateUserPoolCommand({
    PoolName: unique('browser'),
    LambdaConfig: lambdaConfig,
    AutoVerifiedAttributes: signUp ? ['email'] : undefined,
    Schema: signUp ? [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }]
      : undefined,
  }));
  const poolId = pool.UserPool.Id;
  await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: unique('app') }));
  if (mfa !== 'OFF') {
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: mfa,
      SoftwareTokenMfaConfiguration: { Enabled: true } }));
  }
  const client = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'spa', AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [CALLBACK], LogoutURLs: [SIGNED_OUT], SupportedIdentityProviders: ['COGNITO'],
  }));
  const issuer = `${server.endpoint}/${poolId}`;
  const config = await oidc.discovery(new URL(issuer), client.UserPoolClient.ClientId, undefined,
    oidc.None(), { execute: [oidc.allowInsecureRequests] });
  return { poolId, clientId: client.UserPoolClient.ClientId, issuer, config };
}

async function confirmedUser(poolId, username) {
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username,
    MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${username}@example.com` },
      { Name: 'email_verified', Value: 'true' }] }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username,
    Password: PASSWORD, Permanent: true }));
}

async function newTab() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return { context, page: await context.newPage() };
}

async function startAuthorization(app, extra = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(app.config, {
    redirect_uri: CALLBACK, scope: 'openid email profile', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256', ...extra,
  });
  return { url, verifier, state, nonce };
}

async function signInOnPage(page, username, password = PASSWORD) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('authorization code + PKCE through the hosted pages', () => {
  test('TOTP set-up, TOTP sign-in, token exchange, userInfo, refresh, revoke and logout',
    async () => {
      const app = await oauthPool({ mfa: 'ON' });
      const username = unique('jane');
      await confirmedUser(app.poolId, username);
      const { page } = await newTab();

      // First sign-in: the page asks for the password, then sets up TOTP.
      let auth = await startAuthorization(app);
      await page.goto(auth.url.href);
      assert.match(await page.title(), /Sign in/);
      await screenshot(page, 'sign-in', { phone: true });
      await signInOnPage(page, username, 'Wrong-Passw0rd!');
      assert.match(await page.getByRole('alert').innerText(), /Incorrect username or password/);
      await screenshot(page, 'sign-in-error');
      await signInOnPage(page, username);
      await page.waitForURL(/\/challenge\?/);
      assert.match(await page.title(), /authenticator/i);
      assert.ok(await page.locator('svg').count() >= 1, 'the QR code is an inline SVG');
      const secret = (await page.locator('[data-secret], code').first().innerText())
        .replace(/\s+/g, '');
      assert.match(secret, /^[A-Z2-7]{32}$/, `secret ${secret}`);
      await screenshot(page, 'totp-setup', { phone: true });
      let used = await freshCode(secret);
      await page.getByRole('textbox', { name: /code/i }).fill(used.code);
      await page.getByRole('button').last().click();
      await page.waitForURL(`${CALLBACK}?**`);
      let tokens = await oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
        pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce,
        idTokenExpected: true });
      assert.equal(tokens.claims().nonce, auth.nonce);

      // Second sign-in (prompt=login): password, then a TOTP code.
      auth = await startAuthorization(app, { prompt: 'login' });
      await page.goto(auth.url.href);
      await signInOnPage(page, username);
      await page.waitForURL(/\/challenge\?/);
      await screenshot(page, 'totp-code', { phone: true });
      used = await freshCode(secret, used.step);
      await page.getByRole('textbox', { name: /code/i }).fill(used.code);
      await page.getByRole('button', { name: /verify|continue/i }).click();
      await page.waitForURL(`${CALLBACK}?**`);
      tokens = await oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
        pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce,
        idTokenExpected: true });
      const claims = tokens.claims();
      assert.equal(claims['cognito:username'], username);
      assert.equal(claims.iss, app.issuer);

      const info = await oidc.fetchUserInfo(app.config, tokens.access_token, claims.sub);
      assert.equal(info.email, `${username}@example.com`);
      assert.equal(info.username, username);

      const refreshed = await oidc.refreshTokenGrant(app.config, tokens.refresh_token);
      assert.ok(refreshed.access_token && refreshed.access_token !== tokens.access_token);
      assert.equal(refreshed.claims().sub, claims.sub);

      await oidc.tokenRevocation(app.config, tokens.refresh_token);
      await assert.rejects(oidc.refreshTokenGrant(app.config, tokens.refresh_token),
        (e) => e.error === 'invalid_grant');
      await assert.rejects(oidc.fetchUserInfo(app.config, refreshed.access_token, claims.sub));

      // The browser session still skips the page, until logout.
      auth = await startAuthorization(app);
      await page.goto(auth.url.href);
      await page.waitForURL(`${CALLBACK}?**`);
      const logout = oidc.buildEndSessionUrl(app.config, { logout_uri: SIGNED_OUT });
      await page.goto(logout.href);
      assert.equal(page.url(), SIGNED_OUT);
      auth = await startAuthorization(app);
      await page.goto(auth.url.href);
      assert.match(page.url(), /\/login\?/);
      assert.ok(stepAt() >= 0);
    });
});

describe('account pages', () => {
  test('sign up, confirm with the emailed code, forgot and reset the password', async () => {
    const app = await oauthPool({ signUp: true });
    const username = unique('sam');
    const { page } = await newTab();
    const auth = await startAuthorization(app);
    await page.goto(auth.url.href);
    await page.getByRole('link', { name: /sign up/i }).click();
    await page.waitForURL(/\/signup\?/);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Password/);
    await screenshot(page, 'sign-up', { phone: true });
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/confirm\?/);
    await screenshot(page, 'confirm-sign-up');
    const signupCode = await outboxCode(app.poolId, username);
    await page.getByRole('textbox', { name: /code/i }).fill(signupCode);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/login\?/);
    assert.match(await page.content(), /confirmed/);

    await page.getByRole('link', { name: /forgot/i }).click();
    await page.waitForURL(/\/forgotPassword\?/);
    await screenshot(page, 'forgot-password');
    await page.getByLabel('Username').fill(username);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(/\/confirmForgotPassword\?/);
    await screenshot(page, 'reset-password', { phone: true });
    const resetCode = await outboxCode(app.poolId, username, (m) => m.purpose !== 'signup');
    await page.getByRole('textbox', { name: /code/i }).fill(resetCode);
    await page.getByLabel('New password').fill('N3w-Passw0rd!');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.waitForURL(/\/login\?/);
    await signInOnPage(page, username, 'N3w-Passw0rd!');
    await page.waitForURL(`${CALLBACK}?**`);
    const tokens = await oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
      pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    assert.equal(tokens.claims()['cognito:username'], username);
  });

  test('keyboard only, on a branded page', async () => {
    const app = await oauthPool();
    const username = unique('kim');
    await confirmedUser(app.poolId, username);
    await sdk.send(new SetUICustomizationCommand({ UserPoolId: app.poolId, ClientId: 'ALL',
      CSS: '.banner-customizable { background: #0b3d91; } '
        + '.submitButton-customizable { background: #0b3d91; }',
      ImageFile: Buffer.from(LOGO_PNG, 'base64') }));
    const { page } = await newTab();
    const auth = await startAuthorization(app);
    await page.goto(auth.url.href);
    assert.equal(await page.locator('img').count(), 1, 'the logo');
    await screenshot(page, 'sign-in-branded');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name'));
    if (await focused() !== 'username') await page.keyboard.press('Tab');
    for (let i = 0; i < 5 && await focused() !== 'username'; i += 1) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await focused(), 'username');
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${CALLBACK}?**`);
    const tokens = await oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
      pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    assert.equal(tokens.claims()['cognito:username'], username);
  });

  test('new password, choice of factor and an emailed code', async () => {
    const app = await oauthPool();
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: app.poolId,
      MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: {
        SnsCallerArn: 'arn:aws:iam::000000000000:role/sms', ExternalId: 'x' } },
      EmailMfaConfiguration: { Message: 'Your code: {####}', Subject: 'Sign-in' } }));
    const username = unique('max');
    await sdk.send(new AdminCreateUserCommand({ UserPoolId: app.poolId, Username: username,
      TemporaryPassword: 'Temp-Passw0rd1!', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' }, { Name: 'phone_number', Value: '+15550100123' },
        { Name: 'phone_number_verified', Value: 'true' }] }));
    await sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: app.poolId,
      Username: username, SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } }));
    const { page } = await newTab();
    const auth = await startAuthorization(app);
    await page.goto(auth.url.href);
    await signInOnPage(page, username, 'Temp-Passw0rd1!');
    await page.waitForURL(/\/challenge\?/);
    await screenshot(page, 'new-password');
    await page.getByLabel('New password').fill('Fresh-Passw0rd!');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.waitForURL(/\/challenge\?/);
    await page.getByText('Email', { exact: true }).waitFor();
    await screenshot(page, 'choose-mfa');
    await page.getByLabel('Email', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/challenge\?/);
    await screenshot(page, 'email-code', { phone: true });
    const code = await outboxCode(app.poolId, username);
    await page.getByRole('textbox', { name: /code/i }).fill(code);
    await page.getByRole('button').last().click();
    await page.waitForURL(`${CALLBACK}?**`);
    const tokens = await oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
      pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    assert.equal(tokens.claims()['cognito:username'], username);
  });

  test('an error page for a redirect_uri the client does not have', async () => {
    const app = await oauthPool();
    const { page } = await newTab();
    const auth = await startAuthorization(app, { redirect_uri: 'http://evil.example/cb' });
    const response = await page.goto(auth.url.href);
    assert.equal(response.status(), 400);
    assert.match(page.url(), /\/oauth2\/authorize/);
    await screenshot(page, 'error');
  });
});

async function outboxCode(poolId, username, filter = () => true) {
  for (let i = 0; i < 100; i += 1) {
    const found = readOutbox(server.dataDir)
      .filter((m) => m.pool_id === poolId && m.username === username && filter(m)).pop();
    if (found) return found.code;
    await sleep(50);
  }
  throw new Error(`no code for ${username}`);
}

describe('client credentials', () => {
  test('a resource-server scope in a token that aws-jwt-verify accepts', async () => {
    const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: unique('m2m') }));
    const poolId = pool.UserPool.Id;
    await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: unique('m2m') }));
    await sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders',
      Name: 'Orders API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read orders' },
        { ScopeName: 'write', ScopeDescription: 'Write orders' }] }));
    const client = (await sdk.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'service', GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['orders/read', 'orders/write'] }))).UserPoolClient;
    const issuer = `${server.endpoint}/${poolId}`;
    const basic = Buffer.from(`${client.ClientId}:${client.ClientSecret}`).toString('base64');
    const r = await fetch(`${issuer}/oauth2/token`, { method: 'POST',
      headers: { Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=orders%2Fread' });
    assert.equal(r.status, 200, await r.clone().text());
    const body = await r.json();
    assert.equal(body.token_type, 'Bearer');
    const jwksUri = `${issuer}/.well-known/jwks.json`;
    const verifier = JwtVerifier.create({ issuer, audience: null, jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new Error('not an access token');
      } });
    verifier.cacheJwks(await (await fetch(jwksUri)).json());
    const payload = await verifier.verify(body.access_token);
    assert.equal(payload.scope, 'orders/read');
    assert.equal(payload.client_id, client.ClientId);
    assert.equal(payload.sub, client.ClientId);
    // Tampered: refused.
    const [h, p, s] = body.access_token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, scope: 'orders/write' }))
      .toString('base64url');
    await assert.rejects(verifier.verify(`${h}.${forged}.${s}`));
    const bad = await fetch(`${issuer}/oauth2/token`, { method: 'POST',
      headers: { Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=orders%2Fdelete' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error, 'invalid_scope');
  });
});

// oidc-provider (upstream-oidc.mjs) on a free loopback port; resolves to { issuer, stop() }.
async function startUpstream(redirectUri) {
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address();
      probe.close(() => resolve(p));
    });
  });
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'upstream-oidc.mjs');
  const child = spawn(process.execPath, [script, String(port), 'upstream-client',
    'upstream-secret', redirectUri], { stdio: ['ignore', 'pipe', 'inherit'] });
  const issuer = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/READY (\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`upstream exited ${code}`)));
  });
  return { issuer, stop: () => child.kill('SIGTERM') };
}

// A pool whose client signs in through `name`, an OIDC provider backed by upstream-oidc.mjs
// (the caller stops `upstream`).
async function federatedPool(name, providers, mapping, poolOptions = {}) {
  const app = await oauthPool(poolOptions);
  const upstream = await startUpstream(`${app.issuer}/oauth2/idpresponse`);
  await sdk.send(new CreateIdentityProviderCommand({
    UserPoolId: app.poolId, ProviderName: name, ProviderType: 'OIDC',
    ProviderDetails: { client_id: 'upstream-client', client_secret: 'upstream-secret',
      oidc_issuer: upstream.issuer, authorize_scopes: 'openid email profile',
      attributes_request_method: 'GET' },
    AttributeMapping: mapping }));
  await sdk.send(new UpdateUserPoolClientCommand({
    UserPoolId: app.poolId, ClientId: app.clientId, AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [CALLBACK], LogoutURLs: [SIGNED_OUT], SupportedIdentityProviders: providers }));
  return { app, upstream };
}

describe('federation', () => {
  test('sign in at an upstream OpenID Connect provider and land back with Cognate tokens',
    async () => {
      const { app, upstream } = await federatedPool('Upstream', ['COGNITO', 'Upstream'], {
        email: 'email', email_verified: 'email_verified', given_name: 'given_name',
        family_name: 'family_name' });
      try {
        const { page } = await newTab();

        // The hosted page offers the provider; its button leads upstream.
        let auth = await startAuthorization(app);
        await page.goto(auth.url.href);
        await screenshot(page, 'sign-in-with-provider', { phone: true });
        await page.getByRole('link', { name: /Upstream/ }).click();
        await page.waitForURL(`${upstream.issuer}/**`);
        await page.locator('input[name="login"]').fill('someone');
        await page.locator('input[name="password"]').fill('anything');
        await page.locator('button[type="submit"], input[type="submit"]').first().click();
        await page.waitForURL(`${CALLBACK}?**`);
        let tokens = await oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
          pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce,
          idTokenExpected: true });
        const claims = tokens.claims();
        assert.equal(claims['cognito:username'], 'Upstream_upstream-user-1');
        assert.equal(claims.email, 'upstream.user@example.com');
        assert.equal(claims.given_name, 'Upstream');
        assert.equal(claims.identities[0].providerName, 'Upstream');
        assert.equal(claims.identities[0].userId, 'upstream-user-1');
        const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId,
          Username: 'Upstream_upstream-user-1' }));
        assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
        const info = await oidc.fetchUserInfo(app.config, tokens.access_token, claims.sub);
        assert.equal(info.family_name, 'User');

        // identity_provider skips Cognate's page (the upstream session signs in at once).
        auth = await startAuthorization(app, { identity_provider: 'Upstream', prompt: 'login' });
        await page.goto(auth.url.href);
        await page.waitForURL(`${CALLBACK}?**`);
        tokens = await oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
          pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
        assert.equal(tokens.claims().sub, claims.sub);
      } finally {
        upstream.stop();
      }
    });
});

describe('federation links', () => {
  test('a linked upstream identity signs in as the native user until the link is disabled',
    async () => {
      const { app, upstream } = await federatedPool('Corp', ['Corp'], { email: 'email' });
      try {
        const native = unique('native');
        await confirmedUser(app.poolId, native);
        await sdk.send(new AdminLinkProviderForUserCommand({ UserPoolId: app.poolId,
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: native },
          SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject',
            ProviderAttributeValue: 'upstream-user-1' } }));
        const { page } = await newTab();
        const signInUpstream = async () => {
          const auth = await startAuthorization(app, { identity_provider: 'Corp' });
          await page.goto(auth.url.href);
          if (page.url().startsWith(upstream.issuer)) {
            await page.locator('input[name="login"]').fill('someone');
            await page.locator('input[name="password"]').fill('anything');
            await page.locator('button[type="submit"], input[type="submit"]').first().click();
          }
          await page.waitForURL(`${CALLBACK}?**`);
          return oidc.authorizationCodeGrant(app.config, new URL(page.url()), {
            pkceCodeVerifier: auth.verifier, expectedState: auth.state,
            expectedNonce: auth.nonce });
        };
        let tokens = await signInUpstream();
        assert.equal(tokens.claims()['cognito:username'], native);
        await sdk.send(new AdminDisableProviderForUserCommand({ UserPoolId: app.poolId,
          User: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject',
            ProviderAttributeValue: 'upstream-user-1' } }));
        tokens = await signInUpstream();
        assert.equal(tokens.claims()['cognito:username'], 'Corp_upstream-user-1');
      } finally {
        upstream.stop();
      }
    });
});

describe('federation triggers', () => {
  test('PreSignUp_ExternalProvider refuses a first sign-in: back to the client with the error',
    async () => {
      const events = [];
      const receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (d) => { body += d; });
        req.on('end', () => {
          events.push(JSON.parse(body));
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errorType: 'Error', errorMessage: 'No outsiders' }));
        });
      });
      await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const hook = `http://127.0.0.1:${receiver.address().port}/pre-sign-up`;
      const { app, upstream } = await federatedPool('Guarded', ['Guarded'], { email: 'email' },
        { lambdaConfig: { PreSignUp: hook } });
      try {
        const { page } = await newTab();
        const auth = await startAuthorization(app, { identity_provider: 'Guarded' });
        await page.goto(auth.url.href);
        await page.locator('input[name="login"]').fill('someone');
        await page.locator('input[name="password"]').fill('anything');
        await page.locator('button[type="submit"], input[type="submit"]').first().click();
        await page.waitForURL(`${CALLBACK}?**`);
        const back = new URL(page.url());
        assert.equal(back.searchParams.get('error'), 'invalid_request');
        assert.equal(back.searchParams.get('error_description'),
          'PreSignUp failed with error No outsiders.');
        assert.equal(back.searchParams.get('state'), auth.state);
        assert.equal(events.length, 1);
        assert.equal(events[0].triggerSource, 'PreSignUp_ExternalProvider');
        assert.equal(events[0].userName, 'Guarded_upstream-user-1');
        assert.equal(events[0].callerContext.clientId, app.clientId);
        await assert.rejects(sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId,
          Username: 'Guarded_upstream-user-1' })), (e) => e.name === 'UserNotFoundException');
      } finally {
        upstream.stop();
        receiver.close();
      }
    });
});
