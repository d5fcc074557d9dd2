/** @jsxImportSource preact */
import type { Api } from "@shopify/ui-extensions/admin.customer-details.block.render";
import type { BlockState } from "./load";

/** The part of `shopify.i18n` the block uses, so tests can pass the locale files directly. */
export interface BlockI18n {
  translate: (key: string, replacements?: Record<string, string>) => string;
  /** A "YYYY-MM-DD" calendar day in the admin's locale. */
  formatDay: (isoDay: string) => string;
}

/** Adapts Shopify's i18n API (dates are shop-local calendar days: formatted in UTC so they never shift a day). */
export function blockI18n(i18n: Api["i18n"]): BlockI18n {
  return {
    translate: (key, replacements) => String(i18n.translate(key, replacements)),
    formatDay: (isoDay) =>
      i18n.formatDate(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`), {
        timeZone: "UTC",
        day: "numeric",
        month: "short",
        year: "numeric",
      }),
  };
}

/** The admin block, from what the backend answered: pure, so it renders the same in tests and in the admin. */
export function CustomerBlock({ state, i18n }: { state: BlockState; i18n: BlockI18n }) {
  const t = i18n.translate;
  if (state.status === "loading") {
    return (
      <s-admin-block heading={t("heading")}>
        <s-spinner accessibilityLabel={t("loading")} />
      </s-admin-block>
    );
  }
  if (state.status === "error") {
    return (
      <s-admin-block heading={t("heading")}>
        <s-banner tone="critical">{t("error")}</s-banner>
      </s-admin-block>
    );
  }
  const data = state.status === "ready" ? state.data : null;
  const score = data?.score;
  if (!data || !score) {
    return (
      <s-admin-block heading={t("heading")} collapsedSummary={t("emptyTitle")}>
        <s-stack gap="small">
          <s-heading>{t("emptyTitle")}</s-heading>
          <s-paragraph>{t("empty")}</s-paragraph>
          {data && <s-link href={`app:${data.appPath}`}>{t("open")}</s-link>}
        </s-stack>
      </s-admin-block>
    );
  }
  const change = data.lastChange;
  return (
    <s-admin-block heading={t("heading")} collapsedSummary={score.segment.name}>
      <s-stack gap="base">
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-badge tone="info">{score.segment.name}</s-badge>
          <s-text color="subdued">{t("since", { date: i18n.formatDay(score.segment.since) })}</s-text>
        </s-stack>
        <s-stack gap="small-300">
          <s-text type="strong">{t("scores", { code: score.code })}</s-text>
          {score.dimensions.map((d) => (
            <s-text key={d.dimension}>{d.explanation}</s-text>
          ))}
          {data.asOf && <s-text color="subdued">{t("asOf", { date: i18n.formatDay(data.asOf) })}</s-text>}
        </s-stack>
        {score.behaviours.length > 0 && (
          <s-stack gap="small-300">
            <s-text type="strong">{t("behaviours")}</s-text>
            <s-stack direction="inline" gap="small-300">
              {score.behaviours.map((b) => (
                <s-badge key={b.key}>{b.name}</s-badge>
              ))}
            </s-stack>
          </s-stack>
        )}
        {change && (
          <s-stack gap="small-300">
            <s-text type="strong">{t("lastChange")}</s-text>
            <s-text>
              {change.from === null
                ? t("firstPlaced", { to: change.to, date: i18n.formatDay(change.on) })
                : t("changed", { from: change.from, to: change.to, date: i18n.formatDay(change.on) })}
            </s-text>
          </s-stack>
        )}
        {data.forecast && (
          <s-stack gap="small-300">
            <s-text type="strong">{t("forecast.title")}</s-text>
            {"unavailable" in data.forecast ? (
              <s-text>{data.forecast.unavailable}</s-text>
            ) : (
              data.forecast.facts.map((f) => (
                <s-stack key={f.key} gap="small-300">
                  <s-text>
                    {t(`forecast.${f.key}`)}: <s-text type="strong">{f.value}</s-text>
                  </s-text>
                  <s-text color="subdued">{f.explanation}</s-text>
                </s-stack>
              ))
            )}
          </s-stack>
        )}
        {data.predicted.length > 0 && (
          <s-stack gap="small-300">
            <s-text type="strong">{t("predicted.title")}</s-text>
            {data.predicted.map((p) => (
              <s-text key={p.key}>
                {t(`predicted.${p.key}`)}: {p.value}
              </s-text>
            ))}
          </s-stack>
        )}
        <s-link href={`app:${data.appPath}`}>{t("open")}</s-link>
      </s-stack>
    </s-admin-block>
  );
}
