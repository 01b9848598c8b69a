-- The state of one referral, as webhooks describe it (docs/webhooks.md,
-- "The request"). A referral's id is its referred user's id.
CREATE OR REPLACE FUNCTION referral_json(p_referred_id text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', r.referred_id,
    'referrerId', r.referrer_id,
    'referredId', r.referred_id,
    'status', r.status,
    'riskScore', r.risk_score,
    'signals', to_jsonb(r.signals),
    'statusReason', r.status_reason,
    'createdAt', r.created_at,
    'completedAt', r.completed_at
  )
  FROM referral r WHERE r.referred_id = p_referred_id;
$$;
