import { Session } from "@shopify/shopify-api";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../platform/db.server";
import { PrismaSessionStorage } from "./session-storage.server";

const db = createDb(process.env.DATABASE_URL as string, 2);
const storage = new PrismaSessionStorage(db);

afterAll(async () => {
  await db.$disconnect();
});

describe("PrismaSessionStorage (Prisma 7 + @shopify/shopify-app-session-storage contract)", () => {
  it("round-trips an expiring offline session with its refresh token", async () => {
    const expires = new Date(Date.now() + 3_600_000);
    const refreshTokenExpires = new Date(Date.now() + 90 * 86_400_000);
    const session = new Session({ id: "offline_a.myshopify.com", shop: "a.myshopify.com", state: "", isOnline: false });
    Object.assign(session, {
      accessToken: "shpat_1",
      scope: "read_orders,write_customers",
      expires,
      refreshToken: "shprt_1",
      refreshTokenExpires,
    });
    expect(await storage.storeSession(session)).toBe(true);

    const loaded = await storage.loadSession(session.id);
    expect(loaded?.toObject()).toEqual(session.toObject());
    expect(loaded?.isActive("read_orders")).toBe(true);
  });

  it("updates in place, finds by shop and deletes", async () => {
    const a = new Session({
      id: "offline_b.myshopify.com",
      shop: "b.myshopify.com",
      state: "",
      isOnline: false,
      accessToken: "one",
    });
    await storage.storeSession(a);
    a.accessToken = "two";
    await storage.storeSession(a);
    const online = new Session({
      id: "b.myshopify.com_42",
      shop: "b.myshopify.com",
      state: "x",
      isOnline: true,
      accessToken: "u",
    });
    online.onlineAccessInfo = {
      expires_in: 0,
      associated_user_scope: "",
      associated_user: {
        id: 42,
        first_name: "Eva",
        last_name: "Bos",
        email: "eva@example.com",
        account_owner: true,
        locale: "nl",
        collaborator: false,
        email_verified: true,
      },
    };
    await storage.storeSession(online);

    const found = await storage.findSessionsByShop("b.myshopify.com");
    expect(found.map((s) => s.accessToken).sort()).toEqual(["two", "u"]);
    expect((await storage.loadSession(online.id))?.onlineAccessInfo?.associated_user.locale).toBe("nl");

    await storage.deleteSessions([a.id, online.id]);
    expect(await storage.findSessionsByShop("b.myshopify.com")).toEqual([]);
    expect(await storage.loadSession("missing")).toBeUndefined();
    expect(await storage.deleteSession("missing")).toBe(true);
  });
});
