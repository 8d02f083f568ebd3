// The fake Web API lives in src/ because the console runs on it too; tests use the same server.
export { FakeSlack, type RecordedCall, type ScriptedResponse } from '../../src/console/fake-slack.js';
