-- The state of one referral, as webhooks describe it (docs/webhooks.md,
-- "The request"). A referral's id is its referred user's id. Both people
-- carry their externalId (the host product's id of them, docs/integration.md,
-- "Members"; null for people who signed up in this app), and `grants` lists
-- every quota ledger row of the referral with its id, so a host that keeps
-- its own quota applies each grant exactly once (docs/integration.md,
-- "Who owns the quota").
CREATE OR REPLACE FUNCTION referral_json(p_referred_id text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', r.referred_id,
    'referrerId', r.referrer_id,
    'referredId', r.referred_id,
    'referrerExternalId', referrer.external_id,
    'referredExternalId', referred.external_id,
    'status', r.status,
    'riskScore', r.risk_score,
    'signals', to_jsonb(r.signals),
    'statusReason', r.status_reason,
    'createdAt', r.created_at,
    'completedAt', r.completed_at,
    'grants', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
          'id', g.id::text, 'userId', g.user_id, 'externalId', u.external_id,
          'amount', g.amount, 'reason', g.reason, 'createdAt', g.created_at
        ) ORDER BY g.id)
      FROM quota_grant g JOIN "user" u ON u.id = g.user_id
      WHERE g.referral_id = r.referred_id
    ), '[]'::jsonb)
  )
  FROM referral r
  JOIN "user" referrer ON referrer.id = r.referrer_id
  JOIN "user" referred ON referred.id = r.referred_id
  WHERE r.referred_id = p_referred_id;
$$;
