import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GraphQLError } from "graphql";
import { parse } from "smol-toml";
import type { EmulatedShop } from "./shop-state";

/**
 * The app's web pixel, as Shopify keeps it: one per app and shop
 * (webPixelCreate a second time → TAKEN), settings validated against the
 * settings the extension declares in its shopify.extension.toml.
 */

export interface WebPixelRecord {
  id: string;
  settings: Record<string, string>;
}

export const PIXEL_TOML = fileURLToPath(new URL("../../extensions/rfm-pixel/shopify.extension.toml", import.meta.url));

interface FieldDefinition {
  type: string;
  validations?: { name: string; value: string }[];
}

let definition: Record<string, FieldDefinition> | undefined;

/** The declared settings fields, read like Shopify does on deploy. */
export function pixelSettingsDefinition(file = PIXEL_TOML): Record<string, FieldDefinition> {
  if (file === PIXEL_TOML && definition) return definition;
  const toml = parse(readFileSync(file, "utf8")) as unknown as {
    type: string;
    settings?: { type: string; fields?: Record<string, FieldDefinition> };
  };
  if (toml.type !== "web_pixel_extension" || toml.settings?.type !== "object")
    throw new Error(`${file} is not a web pixel extension with object settings`);
  const fields = toml.settings.fields ?? {};
  if (file === PIXEL_TOML) definition = fields;
  return fields;
}

type PixelError = { field: string[]; message: string; code: string };

function settingsErrors(input: unknown): { settings: Record<string, string> | null; errors: PixelError[] } {
  const fail = (message: string, code: string) => ({
    settings: null,
    errors: [{ field: ["webPixel", "settings"], message, code }],
  });
  let value = input;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return fail("The provided settings is not a valid JSON.", "INVALID_CONFIGURATION_JSON");
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return fail("The provided settings is not a valid JSON.", "INVALID_CONFIGURATION_JSON");
  const fields = pixelSettingsDefinition();
  const given = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(given)) if (!(key in fields)) problems.push(`${key} is not a declared setting`);
  for (const [key, field] of Object.entries(fields)) {
    const v = given[key];
    if (v === undefined) {
      problems.push(`${key} is required`);
      continue;
    }
    if (field.type !== "single_line_text_field")
      throw new Error(`settings field type ${field.type} is not implemented by the emulator`);
    if (typeof v !== "string" || v.includes("\n")) {
      problems.push(`${key} must be a single line of text`);
      continue;
    }
    for (const rule of field.validations ?? []) {
      if (rule.name === "min" && v.length < Number(rule.value)) problems.push(`${key} is too short`);
      else if (rule.name === "max" && v.length > Number(rule.value)) problems.push(`${key} is too long`);
      else if (rule.name === "regex" && !new RegExp(rule.value).test(v)) problems.push(`${key} is invalid`);
    }
  }
  if (problems.length > 0)
    return fail(
      `The provided settings does not match the expected settings definition on the app: ${problems.join(", ")}`,
      "INVALID_SETTINGS",
    );
  return { settings: given as Record<string, string>, errors: [] };
}

function requirePixelScope(shop: EmulatedShop, field: string, scopes: string[]): void {
  if (!scopes.some((s) => shop.hasScope(s))) {
    throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scopes[0]}\` access scope.`, {
      extensions: { code: "ACCESS_DENIED" },
    });
  }
}

function view(pixel: WebPixelRecord) {
  // Shopify answers settings as a JSON-encoded string.
  return { id: pixel.id, settings: JSON.stringify(pixel.settings) };
}

let nextPixel = 1;

export function webPixelCreate(shop: EmulatedShop, { webPixel }: { webPixel: { settings: unknown } }) {
  requirePixelScope(shop, "webPixelCreate", ["write_pixels"]);
  if (shop.webPixel)
    return { webPixel: null, userErrors: [{ field: ["webPixel"], message: "Web pixel is taken.", code: "TAKEN" }] };
  const { settings, errors } = settingsErrors(webPixel.settings);
  if (!settings) return { webPixel: null, userErrors: errors };
  shop.webPixel = { id: `gid://shopify/WebPixel/${7_000_000 + nextPixel++}`, settings };
  return { webPixel: view(shop.webPixel), userErrors: [] };
}

export function webPixelUpdate(shop: EmulatedShop, { id, webPixel }: { id: string; webPixel: { settings: unknown } }) {
  requirePixelScope(shop, "webPixelUpdate", ["write_pixels"]);
  if (!shop.webPixel || shop.webPixel.id !== id)
    return {
      webPixel: null,
      userErrors: [
        {
          field: ["id"],
          message: "The record with the ID used as the input value couldn't be found.",
          code: "NOT_FOUND",
        },
      ],
    };
  const { settings, errors } = settingsErrors(webPixel.settings);
  if (!settings) return { webPixel: null, userErrors: errors };
  shop.webPixel.settings = settings;
  return { webPixel: view(shop.webPixel), userErrors: [] };
}

/** webPixel(id:) — without an id, the app's pixel on the shop. */
export function webPixelQuery(shop: EmulatedShop, { id }: { id?: string | null }) {
  requirePixelScope(shop, "webPixel", ["read_pixels", "write_pixels"]);
  const pixel = shop.webPixel;
  if (!pixel || (id && id !== pixel.id))
    throw new GraphQLError("No web pixel was found for this app.", { extensions: { code: "NOT_FOUND" } });
  return view(pixel);
}
