# Build exactly what CI tests: `npm ci` from the lock file, then `npm run build`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build-console.mjs ./scripts/
COPY console ./console
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# Production refuses to start without a JWKS URL or public key and a signing key (see README).
ENV NODE_ENV=production \
    PORT=8080 \
    POSTURE_DATA_DIR=/var/lib/posture
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
COPY package.json ./
COPY migrations ./migrations
COPY rules ./rules
COPY reports ./reports
RUN mkdir -p /var/lib/posture && chown node:node /var/lib/posture
USER node
EXPOSE 8080
VOLUME ["/var/lib/posture"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/index.js"]
CMD ["serve"]
