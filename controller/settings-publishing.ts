/**
 * Settings for publishing bulletins outside the loudspeakers: the feeds and podcast, webhooks,
 * the commune's Facebook Page and Zalo Official Account. Part of `settingsSchema` (settings.ts).
 */
import { z } from 'zod';

/** Apple Podcasts' top-level categories, spelled as itunes:category must spell them. */
const APPLE_PODCAST_CATEGORIES = [
  'Arts',
  'Business',
  'Comedy',
  'Education',
  'Fiction',
  'Government',
  'Health & Fitness',
  'History',
  'Kids & Family',
  'Leisure',
  'Music',
  'News',
  'Religion & Spirituality',
  'Science',
  'Society & Culture',
  'Sports',
  'Technology',
  'True Crime',
  'TV & Film',
] as const;

export const publishingSettingsSchema = z
  .object({
    /** Urgent and emergency bulletins lead the feed and the public page this long after they are broadcast. */
    urgent_valid_hours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /** Items in each feed and on the page. */
    feed_items: z.number().int().min(1).max(500).default(50),
    /** What podcast directories (Apple Podcasts, Podcast Index) read of the show: feeds.ts. */
    podcast: z
      .object({
        /** Cover art: a square JPEG or PNG of 1400 to 3000 px (Apple's rule); null: the default shipped with the controller. */
        cover_image_file: z.string().nullable().default(null),
        /** itunes:owner, whom Apple writes to; empty name: "UBND" + the commune's name. Apple verifies a show by the email: set it before submitting. */
        owner_name: z.string().max(200).default(''),
        owner_email: z.email().nullable().default(null),
        /** One of Apple Podcasts' categories, and optionally one of its subcategories (e.g. News / Daily News). */
        category: z.enum(APPLE_PODCAST_CATEGORIES).default('Government'),
        subcategory: z.string().min(1).max(100).nullable().default(null),
      })
      .prefault({}),
    /** How long a webhook, the fanpage or Zalo may take to answer one request. */
    webhook_timeout_s: z.number().int().min(1).max(120).default(10),
    /**
     * Attempts before a delivery (to a webhook, the fanpage or the Zalo OA) is marked failed
     * (backoff 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h).
     */
    webhook_max_attempts: z.number().int().min(1).max(8).default(8),
    /**
     * Post public bulletins on the commune's Facebook Page (Graph API page posts); null: off.
     * The Page access token (with pages_manage_posts) is read from token_file, or env
     * TT_FACEBOOK_TOKEN; never written here.
     */
    facebook: z
      .object({
        page_id: z
          .string()
          .regex(/^\d{5,30}$/, "the Page id: digits, as Facebook shows it in the Page's About / Page transparency"),
        token_file: z.string().nullable().default(null),
        /** The Graph API with its version, as the Pages API guide calls it. */
        graph_url: z.url().default('https://graph.facebook.com/v25.0'),
      })
      .nullable()
      .default(null),
    /**
     * Publish public bulletins as articles of the commune's Zalo Official Account; null: off.
     * The OA access token is read from token_file, or env TT_ZALO_TOKEN; never written here.
     */
    zalo: z
      .object({
        token_file: z.string().nullable().default(null),
        api_url: z.url().default('https://openapi.zalo.me'),
        /** A Zalo article must have a cover photo: the commune's picture (a public https JPG/PNG, at most 1 MB). */
        cover_photo_url: z.url(),
        /** The article's author line (Zalo allows 50 characters); empty: "UBND" + the commune's name. */
        author: z.string().max(50).default(''),
      })
      .nullable()
      .default(null),
  })
  .prefault({});
