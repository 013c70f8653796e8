// Drives the official RingCentral JavaScript SDKs against a Presenced server:
// node conformance.mjs <server-url> <demo-credentials.json>
// Logs in with a JWT, subscribes to account presence over the WebSocket, makes presence changes over REST,
// lets the server close the idle socket, makes more changes while the SDK is disconnected, lets the SDK recover
// its session by itself, and checks that every event arrived, in order, none missing.
import fs from 'node:fs';
import { SDK } from '@ringcentral/sdk';
import { Subscriptions } from '@ringcentral/subscriptions';

const [server, credentialsFile] = process.argv.slice(2);
const creds = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
const sdk = new SDK({ server, clientId: creds.clientId, clientSecret: creds.clientSecret });
const platform = sdk.platform();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fail = (message) => { console.error('FAIL: ' + message); process.exit(1); };

async function waitFor(condition, what, ms = 30000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) fail('timed out waiting for ' + what);
    await sleep(50);
  }
}

await platform.login({ jwt: creds.admin.jwt });
const user = creds.users[0];
const received = [];
const subscriptions = new Subscriptions({ sdk });
// Keep hold of the SDK's WebSocket extension (@rc-ex/ws), to see its connection and to time its recovery.
let ws;
const newWsExtension = subscriptions.newWsExtension.bind(subscriptions);
subscriptions.newWsExtension = async () => (ws = await newWsExtension());
const subscription = subscriptions.createSubscription();
subscription.on(subscription.events.notification, (event) => received.push(event));
await subscription.setEventFilters(['/restapi/v1.0/account/~/presence']).register();

const mine = () => received.filter((e) => e.body && e.body.extensionId === user.extensionId);
const put = (userStatus) => platform.put(`/restapi/v1.0/account/~/extension/${user.extensionId}/presence`, { userStatus });

for (const status of ['Busy', 'Available', 'Busy']) await put(status);
await waitFor(() => mine().length >= 3, 'the first three notifications');

// The SDK's recovery waits at a gate, so that the next changes are surely made while it is disconnected.
let openGate;
const gate = new Promise((resolve) => { openGate = resolve; });
const recover = ws.recover.bind(ws);
ws.recover = async () => { await gate; return recover(); };
let recovery;
ws.eventEmitter.once('autoRecoverSuccess', () => { recovery = 'Successful'; });
ws.eventEmitter.once('autoRecoverFailed', () => { recovery = 'Failed'; });

// The server closes the idle connection (idle timeout set short for this run).
const lost = ws.ws;
await waitFor(() => lost.readyState === 3, 'the server to close the idle connection');
for (const status of ['Available', 'Busy', 'Available']) await put(status);
if (ws.ws !== lost || mine().length !== 3) fail('the changes were not made while the SDK was disconnected');
openGate();
await waitFor(() => recovery !== undefined, 'the SDK to recover its session');
if (recovery !== 'Successful') fail('recoveryState ' + recovery);
await waitFor(() => mine().length >= 6, 'the three notifications made while disconnected');

const events = mine();
const first = events[0];
if (!first.uuid || !first.timestamp || first.event !== `/restapi/v1.0/account/~/extension/${user.extensionId}/presence`) {
  fail('unexpected envelope ' + JSON.stringify(first));
}
const sequences = events.map((e) => e.body.sequence);
for (let i = 1; i < sequences.length; i++) {
  if (sequences[i] !== sequences[i - 1] + 1) fail('sequences not contiguous: ' + sequences.join(','));
}
const statuses = events.map((e) => e.body.userStatus).join(',');
if (statuses !== 'Busy,Available,Busy,Available,Busy,Available') fail('statuses out of order: ' + statuses);
console.log('OK ' + sequences.join(','));
process.exit(0);
