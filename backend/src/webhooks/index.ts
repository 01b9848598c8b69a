export { parseWebhookSettings, webhookEndpoint, type WebhookEndpoint, type WebhookSettings } from './config';
export { retryDelayMs, startWebhookDelivery, webhookBody, type WebhookDelivery } from './delivery';
export { countPendingEvents } from './outbox';
export { signingKey, signWebhook, type SignedHeaders } from './signature';
