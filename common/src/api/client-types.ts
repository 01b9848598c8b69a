// Generated from the OpenAPI document by `pnpm --filter @app/common api:types`: do not edit.
export interface paths {
    "/members/{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A member's referral summary
         * @description Their code and link, places left under the cap, quota, who referred them, and everyone they referred with status and reason.
         */
        get: operations["getMember"];
        /**
         * Create or update a member
         * @description Makes the person known by your id, or updates their e-mail and name. Send `client` when they sign up or sign in: where they came from is what the fraud signals compare.
         */
        put: operations["upsertMember"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/{externalId}/redeem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeem a code for a member
         * @description Exactly what a member entering a code in the app does (docs/referral-rules.md): the same checks, the same cap, the same answers.
         */
        post: operations["redeem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/{externalId}/conversion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a member's conversion
         * @description What finishing onboarding does in the app: their pending referral is scored, then completed (both rewards, once) or held for review. Calling it again changes nothing.
         */
        post: operations["recordConversion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/{externalId}/code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give a member a new code
         * @description The old code stops working at once; the program limits how many per UTC day (then 429 with Retry-After).
         */
        post: operations["regenerateCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/{externalId}/embed-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open the member's portal
         * @description A short-lived, single-use token for the embedded member portal of this member, and the portal's URL with it: put it in an iframe on your page (docs/integration.md, "The embedded portal"). Mint a new one each time you render the page.
         */
        post: operations["createEmbedToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/{externalId}/quota-history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A member's quota history
         * @description Every quota ledger row of the member, newest first, with its grant id.
         */
        get: operations["quotaHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/referrals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The program's referrals
         * @description Every referral, newest first, as webhooks describe them (both people with their externalId, status, reason, score, signals, grants).
         */
        get: operations["listReferrals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        UpsertMember: {
            /** @description Verified by your product. Omitted: kept as it is. */
            email?: string | null;
            /** @description The display name other members see. Omitted: kept as it is. */
            name?: string | null;
            /** @description Send it when the member signs up or signs in: without it, a referral of theirs is held for review (missing_address). */
            client?: components["schemas"]["Client"];
        };
        Client: {
            /** @description The member's IP address (the TCP peer or what your own trusted proxy wrote). */
            ip?: string;
            /** @description The member's User-Agent header. */
            userAgent?: string;
        };
        Redeem: {
            referralCode: string;
        };
        UpsertMemberResult: {
            member: components["schemas"]["Member"];
            created: boolean;
        };
        Member: {
            /** @description Our id of the person (`referrerId` and `referredId` in webhooks). */
            id: string;
            /**
             * @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200).
             * @example user_42
             */
            externalId: string;
            email: string | null;
            name: string | null;
            quota: number;
            referralCode: string;
            referralLink: string;
            /** @description When their conversion was recorded; null before. */
            onboardedAt: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        MemberSummary: {
            /**
             * @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200).
             * @example user_42
             */
            externalId: string;
            referralCode: string;
            referralLink: string;
            maxReferrals: number;
            usedReferrals: number;
            remainingReferrals: number;
            quota: number;
            rewards: {
                referrer: number;
                referred: number;
            };
            programVersion: number;
            referredBy: {
                name: string;
                /** @enum {string} */
                status: "pending" | "completed" | "held" | "rejected";
                statusReason: ("under_review" | "deleted_account" | "rejected_after_review" | "revoked_after_review") | null;
            } | null;
            canRedeem: boolean;
            regenerationsLeftToday: number;
            referrals: {
                name: string;
                /** @enum {string} */
                status: "pending" | "completed" | "held" | "rejected";
                statusReason: ("under_review" | "deleted_account" | "rejected_after_review" | "revoked_after_review") | null;
                /** Format: date-time */
                createdAt: string;
                completedAt: string | null;
            }[];
        };
        RedeemResult: {
            /** @enum {string} */
            status: "pending" | "completed" | "held" | "rejected";
            quota: number;
            referrer: {
                name: string;
            };
        };
        ConversionResult: {
            /** Format: date-time */
            onboardedAt: string;
            quota: number;
            referral: {
                /** @enum {string} */
                status: "pending" | "completed" | "held" | "rejected";
                referrer: {
                    name: string;
                };
                rewardGranted: boolean;
            } | null;
        };
        RegenerateResult: {
            referralCode: string;
            referralLink: string;
            regenerationsLeftToday: number;
        };
        EmbedToken: {
            /** @description Good for one use, until `expiresAt`. */
            token: string;
            /** Format: date-time */
            expiresAt: string;
            /** @description The portal's address with the token: the `src` of your iframe. */
            url: string;
        };
        QuotaHistoryPage: {
            items: {
                /** @description The grant id: apply each one once. */
                id: string;
                amount: number;
                /** @enum {string} */
                reason: "referral_referrer" | "referral_referred" | "clawback" | "admin_adjustment";
                description: string;
                referralId: string | null;
                /** Format: date-time */
                createdAt: string;
            }[];
            nextCursor: string | null;
        };
        ReferralsPage: {
            items: components["schemas"]["Referral"][];
            nextCursor: string | null;
        };
        Referral: {
            id: string;
            referrerId: string;
            referredId: string;
            referrerExternalId: string | null;
            referredExternalId: string | null;
            /** @enum {string} */
            status: "pending" | "completed" | "held" | "rejected";
            riskScore: number;
            signals: string[];
            statusReason: ("under_review" | "deleted_account" | "rejected_after_review" | "revoked_after_review") | null;
            /** Format: date-time */
            createdAt: string;
            completedAt: string | null;
            grants: {
                id: string;
                userId: string;
                externalId: string | null;
                amount: number;
                /** @enum {string} */
                reason: "referral_referrer" | "referral_referred" | "clawback" | "admin_adjustment";
                /** Format: date-time */
                createdAt: string;
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200). */
                externalId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberSummary"];
                };
            };
            /** @description `invalid_input` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_input";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthenticated";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "forbidden";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    /** @description Whole seconds to wait. */
                    "retry-after": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "rate_limited";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
        };
    };
    upsertMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200). */
                externalId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpsertMember"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpsertMemberResult"];
                };
            };
            /** @description `invalid_input` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_input";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthenticated";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "forbidden";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "conflict";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    /** @description Whole seconds to wait. */
                    "retry-after": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "rate_limited";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
        };
    };
    redeem: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any string up to 255 characters: a retry with the same key gets the first answer and changes nothing twice (kept 24 hours). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200). */
                externalId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Redeem"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RedeemResult"];
                };
            };
            /** @description `invalid_input`, `invalid_code` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_input" | "invalid_code";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthenticated";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "forbidden";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `not_found`, `code_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found" | "code_not_found";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `conflict`, `already_referred`, `code_exhausted` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "conflict" | "already_referred" | "code_exhausted";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `self_referral`, `referral_loop`, `not_eligible` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "self_referral" | "referral_loop" | "not_eligible";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    /** @description Whole seconds to wait. */
                    "retry-after": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "rate_limited";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
        };
    };
    recordConversion: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any string up to 255 characters: a retry with the same key gets the first answer and changes nothing twice (kept 24 hours). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200). */
                externalId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConversionResult"];
                };
            };
            /** @description `invalid_input` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_input";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthenticated";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "forbidden";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "conflict";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    /** @description Whole seconds to wait. */
                    "retry-after": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "rate_limited";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
        };
    };
    regenerateCode: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any string up to 255 characters: a retry with the same key gets the first answer and changes nothing twice (kept 24 hours). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200). */
                externalId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegenerateResult"];
                };
            };
            /** @description `invalid_input` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_input";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthenticated";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "forbidden";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "conflict";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    /** @description Whole seconds to wait. */
                    "retry-after": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "rate_limited";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
        };
    };
    createEmbedToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any string up to 255 characters: a retry with the same key gets the first answer and changes nothing twice (kept 24 hours). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200). */
                externalId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmbedToken"];
                };
            };
            /** @description `invalid_input` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_input";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthenticated";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "forbidden";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "conflict";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    /** @description Whole seconds to wait. */
                    "retry-after": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "rate_limited";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
        };
    };
    quotaHistory: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the page before; omitted for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (50 when omitted). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200). */
                externalId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuotaHistoryPage"];
                };
            };
            /** @description `invalid_input` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_input";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthenticated";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "forbidden";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    /** @description Whole seconds to wait. */
                    "retry-after": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "rate_limited";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
        };
    };
    listReferrals: {
        parameters: {
            query?: {
                /** @description Only referrals in this status. */
                status?: "pending" | "completed" | "held" | "rejected";
                /** @description The `nextCursor` of the page before; omitted for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (50 when omitted). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReferralsPage"];
                };
            };
            /** @description `invalid_input` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_input";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthenticated";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "forbidden";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    /** @description Whole seconds to wait. */
                    "retry-after": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "rate_limited";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
            /** @description `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal";
                            message: string;
                            retryAfterSeconds?: number;
                            requestId?: string;
                        };
                    };
                };
            };
        };
    };
}
