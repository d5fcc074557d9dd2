import type { Db } from "../../platform/db.server";
import { resolveLocale } from "../../i18n/locale.server";
import { segmentName } from "../../i18n/rfm/presets";
import { SegmentKey } from "../../domain/rfm/segments";
import { customerName } from "../../domain/customer-name";
import { MIN_OBSERVED_MONTHS } from "../../domain/forecast/markov";
import { loadRfmSettings } from "../../settings/settings.server";
import { customerDataNotice } from "../../shopify/customer-data-access.server";
import { ClvBacktestJson, SegmentBacktestJson, SegmentForecast } from "../../pipeline/forecast/forecast-shapes";

const iso = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 10));

/** The Forecast page: the latest stored ForecastRun with segment names and the customers' names. */
export async function loadForecastPage(db: Db, shop: string, request: Request) {
  const { locale } = await resolveLocale(db, shop, request);
  const [run, settings, customerData] = await Promise.all([
    db.forecastRun.findFirst({ where: { shop }, orderBy: { id: "desc" } }),
    loadRfmSettings(db, shop),
    customerDataNotice(db, shop),
  ]);
  const name = (key: string) => {
    const parsed = SegmentKey.safeParse(key);
    return parsed.success ? segmentName(parsed.data, settings, locale) : key;
  };
  if (!run) return { run: null, customerData, minMonths: MIN_OBSERVED_MONTHS };
  const forecast = SegmentForecast.parse(run.segmentForecast);
  const segmentBacktest = SegmentBacktestJson.parse(run.segmentBacktest);
  const clv = ClvBacktestJson.parse(run.clvBacktest);
  const ids = forecast.movingDown.map((c) => BigInt(c.customerId));
  const customers = await db.customer.findMany({
    where: { shop, id: { in: ids } },
    select: { id: true, firstName: true, lastName: true },
  });
  const byId = new Map(customers.map((c) => [String(c.id), c]));
  return {
    run: {
      asOf: iso(run.asOf) ?? "",
      historyStart: iso(run.historyStart),
      observedMonths: run.observedMonths,
      sufficient: run.sufficient,
      reason: run.reason,
      sizes: forecast.sizes.map((s) => ({ ...s, name: name(s.segment) })),
      movingDown: forecast.movingDown.map((c) => {
        const row = byId.get(c.customerId);
        return { ...c, segmentName: name(c.segment), name: customerName(row?.firstName, row?.lastName) };
      }),
      segmentBacktest:
        segmentBacktest.available === true
          ? { ...segmentBacktest, rows: segmentBacktest.rows.map((r) => ({ ...r, name: name(r.segment) })) }
          : segmentBacktest,
      clv,
    },
    customerData,
    minMonths: MIN_OBSERVED_MONTHS,
  };
}
