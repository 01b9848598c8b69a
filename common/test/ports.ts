export { freePort } from '../src/testing/database';
