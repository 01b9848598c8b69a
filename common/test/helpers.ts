export { useTestDb } from '../src/testing/use-test-db';

export const APP_URL = 'http://localhost:3000';
