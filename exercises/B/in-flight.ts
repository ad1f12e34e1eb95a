// B.6 — An in-flight gauge: how many requests the service is handling right now.
// Lesson: lessons/B-beginner-practice.md, "B.6 Metric types in practice". Grade: npm run grade -- B.6
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';

export interface InFlightOptions {
  registry: Registry;
}

const inFlight: FastifyPluginAsync<InFlightOptions> = async (app, { registry }) => {
  // TODO(B.6): create a Gauge `http_requests_in_flight` on `registry`; add 1 when a request
  // arrives (onRequest) and take 1 away when its response is done (onResponse).
  // TODO(B.6): onResponse never runs for a request whose client hung up first: take 1 away in
  // onRequestAbort too (an async onRequestAbort hook takes exactly one parameter, the request).
  void app;
  void registry;
};

export default fp(inFlight, { name: 'in-flight' });
