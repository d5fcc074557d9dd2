import { DEFAULT_RULES } from "../../app/domain/rfm/segments";
import { PRESETS, SEGMENT_DESCRIPTIONS } from "../../app/i18n/rfm/presets";
import type { Scale } from "../../app/domain/rfm/scores";

const range = ([lo, hi]: readonly [number, number]) => (lo === hi ? `${lo}` : `${lo}–${hi}`);

/** The default rule table as the README publishes it (a test keeps the two identical). */
export function ruleTableMarkdown(scale: Scale): string {
  const rows = DEFAULT_RULES[scale].map(
    (r, i) =>
      `| ${i + 1} | \`${r.segment}\` | ${range(r.r)} | ${range(r.f)} | ${range(r.m)} | ${PRESETS.en[r.segment]} | ${PRESETS.nl[r.segment]} | ${PRESETS.playful[r.segment]} |` +
      (scale === 5 ? ` ${SEGMENT_DESCRIPTIONS.en[r.segment]} |` : ""),
  );
  const head =
    scale === 5
      ? "| # | key | R | F | M | English | Nederlands | Playful | meaning |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
      : "| # | key | R | F | M | English | Nederlands | Playful |\n| --- | --- | --- | --- | --- | --- | --- | --- |";
  return `${head}\n${rows.join("\n")}`;
}
