-- acceptsMarketing (app/domain/consent.ts) for SMS, over "Customer" c: SUBSCRIBED only.
-- Pasted in by the SQL generator (/*@include domain/accepts-sms-marketing.fragment.sql*/); test/ui/first-screen.test.ts
-- checks it against acceptsMarketing for every state.
c."smsMarketingState" = 'SUBSCRIBED'
