-- A change of one referral as live updates announce it (docs/websocket-protocol.md,
-- "Pushes"): the referral and both people's quotas. The callers announce it
-- with pg_notify once their change has committed (common/src/referrals/announce.ts).
-- Well under NOTIFY's 8000 bytes.
CREATE OR REPLACE FUNCTION referral_event(p_referrer_id text, p_referred_id text) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'referral', json_build_object(
      'referrerId', r.referrer_id,
      'referredId', r.referred_id,
      'referredName', referred.name,
      'status', r.status,
      'createdAt', r.created_at,
      'completedAt', r.completed_at
    ),
    'quotas', json_build_array(
      json_build_object('userId', referrer.id, 'quota', referrer.quota),
      json_build_object('userId', referred.id, 'quota', referred.quota)
    )
  )
  FROM referral r
  JOIN "user" referrer ON referrer.id = r.referrer_id
  JOIN "user" referred ON referred.id = r.referred_id
  WHERE r.referrer_id = p_referrer_id AND r.referred_id = p_referred_id;
$$;
