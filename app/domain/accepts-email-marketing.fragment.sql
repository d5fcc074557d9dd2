-- acceptsMarketing (app/domain/consent.ts) for the email channel, over "Customer" c: SUBSCRIBED only.
-- Pasted in by the SQL generator (/*@include domain/accepts-email-marketing.fragment.sql*/); test/ui/first-screen.test.ts
-- checks it against acceptsMarketing for every state.
c."emailMarketingState" = 'SUBSCRIBED'
