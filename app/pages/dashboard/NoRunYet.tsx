import { Card, EmptyState } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";

/** EmptyState wants an illustration; an empty SVG keeps the page free of external images. */
const EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

/** Before the first scoring run: the backfill is on its way, or the shop has no orders to score. */
export function NoRunYet({ noOrdersYet }: { noOrdersYet: boolean }) {
  const { t } = useI18n();
  return (
    <Card>
      {noOrdersYet ? (
        <EmptyState heading={t.home.emptyNoOrdersTitle} image={EMPTY_IMAGE}>
          <p id="empty-state">{t.home.emptyNoOrders}</p>
        </EmptyState>
      ) : (
        <EmptyState heading={t.home.emptyBackfillTitle} image={EMPTY_IMAGE}>
          <p id="empty-state">{t.home.emptyBackfill}</p>
        </EmptyState>
      )}
    </Card>
  );
}
