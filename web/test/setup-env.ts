import { inject } from 'vitest';

// The route handlers run as they do in the server: they read the environment
// and get the process's database pool from DATABASE_URL.
process.env.DATABASE_URL = inject('databaseUrl');
process.env.APP_URL = 'http://localhost:3000';
process.env.AUTH_SECRET = 'web-route-tests-secret-0123456789';
