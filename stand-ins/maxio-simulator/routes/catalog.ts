/**
 * The catalog: product families, products and their price points, components (site-wide and per
 * family) and their price points, coupons. Read-only, as the bridge only reads the catalog.
 */
import type { FastifyInstance } from 'fastify';
import { byIds, notFound, paginate, wrap } from '../http.ts';
import type { RouteContext } from '../http.ts';

export function registerCatalogRoutes(app: FastifyInstance, { store }: RouteContext): void {
  type ById = { Params: { id: string } };
  app.get('/product_families.json', async (request) =>
    wrap('product_family', paginate(request, store.list('productFamilies'))),
  );
  app.get<ById>('/product_families/:id.json', async (request, reply) => {
    const family = store.find('productFamilies', request.params.id);
    return family ? { product_family: family } : notFound(reply);
  });
  app.get<ById>('/product_families/:id/products.json', async (request, reply) => {
    const family = store.find('productFamilies', request.params.id);
    if (!family) return notFound(reply);
    const products = store
      .list('products')
      .filter((p) => (p.product_family as { id?: unknown } | undefined)?.id === family.id);
    return wrap('product', paginate(request, products));
  });
  app.get<ById>('/product_families/:id/components.json', async (request, reply) => {
    const family = store.find('productFamilies', request.params.id);
    if (!family) return notFound(reply);
    const components = store.list('components').filter((c) => c.product_family_id === family.id);
    return wrap('component', paginate(request, components));
  });

  app.get('/products.json', async (request) =>
    wrap('product', paginate(request, store.list('products'))),
  );
  app.get<ById>('/products/:id.json', async (request, reply) => {
    const product = store.find('products', request.params.id);
    return product ? { product } : notFound(reply);
  });
  app.get('/products_price_points.json', async (request) => ({
    price_points: paginate(request, byIds(request, store.list('productPricePoints'))),
  }));
  app.get<ById>('/products/:id/price_points.json', async (request, reply) => {
    const product = store.find('products', request.params.id);
    if (!product) return notFound(reply);
    const pricePoints = store
      .list('productPricePoints')
      .filter((pp) => pp.product_id === product.id);
    return { price_points: paginate(request, pricePoints) };
  });
  app.get<{ Params: { pid: string; id: string } }>(
    '/products/:pid/price_points/:id.json',
    async (request, reply) => {
      const pp = store.find('productPricePoints', request.params.id);
      return pp && String(pp.product_id) === request.params.pid
        ? { price_point: pp }
        : notFound(reply);
    },
  );

  app.get('/components.json', async (request) =>
    wrap('component', paginate(request, store.list('components'))),
  );
  app.get<ById>('/components/:id.json', async (request, reply) => {
    const component = store.find('components', request.params.id);
    return component ? { component } : notFound(reply);
  });
  app.get('/components_price_points.json', async (request) => ({
    price_points: paginate(request, byIds(request, store.list('componentPricePoints'))),
  }));
  app.get<ById>('/components/:id/price_points.json', async (request, reply) => {
    const component = store.find('components', request.params.id);
    if (!component) return notFound(reply);
    const pricePoints = store
      .list('componentPricePoints')
      .filter((p) => p.component_id === component.id);
    return { price_points: paginate(request, pricePoints) };
  });
  app.get<{ Params: { cid: string; id: string } }>(
    '/components/:cid/price_points/:id.json',
    async (request, reply) => {
      const pp = store.find('componentPricePoints', request.params.id);
      return pp && String(pp.component_id) === request.params.cid
        ? { price_point: pp }
        : notFound(reply);
    },
  );

  app.get('/coupons.json', async (request) =>
    wrap('coupon', paginate(request, store.list('coupons'))),
  );
  app.get<ById>('/coupons/:id.json', async (request, reply) => {
    const coupon = store.find('coupons', request.params.id);
    return coupon ? { coupon } : notFound(reply);
  });
}
