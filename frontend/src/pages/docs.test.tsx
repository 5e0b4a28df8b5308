import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { filterOperations, listOperations, resolveRef, type OpenApiDocument } from '../api/openapi';
import { jsonResponse, mockFetch, renderApp, storeSession } from '../test/helpers';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'HDS API', version: '1.2.3', description: 'Harvester Data Store.' },
  tags: [{ name: 'users', description: 'Accounts and sessions.' }],
  paths: {
    '/api/v1/users/login/': {
      post: {
        tags: ['users'],
        operationId: 'login',
        summary: 'Log in',
        description: 'Returns a double envelope with JWTs.',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/LoginBody' } } } },
        responses: { '200': { description: 'Logged in' }, '400': { description: 'Bad credentials' } },
      },
    },
    '/api/v1/fruits/{id}/': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: {
        tags: ['fruits'],
        operationId: 'get_fruit',
        summary: 'One fruit',
        responses: { '200': { description: 'The fruit', content: { 'application/json': { schema: { $ref: '#/components/schemas/Fruit' } } } } },
      },
      delete: { tags: ['fruits'], operationId: 'delete_fruit', summary: 'Delete a fruit', responses: { '204': { description: 'Gone' } } },
    },
  },
  components: {
    parameters: { limit: { name: 'limit', in: 'query', schema: { type: 'integer' } } },
    schemas: {
      LoginBody: {
        type: 'object',
        required: ['username', 'password'],
        properties: { username: { type: 'string' }, password: { type: 'string', writeOnly: true } },
      },
      Fruit: {
        type: 'object',
        description: 'A fruit the harvesters pick.',
        properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string', maxLength: 20 }, parent: { $ref: '#/components/schemas/Fruit' } },
      },
    },
  },
};

describe('openapi helpers', () => {
  it('lists operations with merged path parameters and search text', () => {
    const ops = listOperations(doc);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual([
      'post /api/v1/users/login/',
      'get /api/v1/fruits/{id}/',
      'delete /api/v1/fruits/{id}/',
    ]);
    expect(ops[1]!.parameters.map((p) => p.name)).toEqual(['id']);
    expect(filterOperations(ops, 'FRUIT delete', 'all')).toHaveLength(1);
    expect(filterOperations(ops, '', 'get')).toHaveLength(1);
    expect(filterOperations(ops, 'double envelope', 'all')[0]!.operation.operationId).toBe('login');
  });

  it('resolves local references', () => {
    expect(resolveRef(doc, { $ref: '#/components/parameters/limit' })).toMatchObject({ name: 'limit' });
    expect(resolveRef(doc, { $ref: '#/components/schemas/Nope' })).toEqual({ $ref: '#/components/schemas/Nope' });
  });
});

describe('docs page', () => {
  it('renders endpoints, filters them and expands schemas', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ 'GET /api/v1/openapi': () => jsonResponse(200, doc) });
    renderApp('/docs', fetch);
    expect(await screen.findByText('3 of 3 endpoints, 2 schemas')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'API documentation' })).toBeInTheDocument();
    expect(calls[0]!.url).toBe('/api/v1/openapi?format=openapi-json');
    expect(screen.getByText(/version 1\.2\.3/)).toBeInTheDocument();
    expect(screen.getByText('3 of 3 endpoints, 2 schemas')).toBeInTheDocument();
    expect(screen.getByText('Accounts and sessions.')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Search endpoints and schemas'), 'login');
    expect(await screen.findByText('1 of 3 endpoints, 1 schema')).toBeInTheDocument();
    expect(screen.queryByText('/api/v1/fruits/{id}/')).not.toBeInTheDocument();

    await userEvent.click(screen.getByText('/api/v1/users/login/'));
    expect(await screen.findByText('Returns a double envelope with JWTs.')).toBeInTheDocument();
    const operation = screen.getByText('/api/v1/users/login/').closest('details')!;
    await userEvent.click(within(operation).getByText('LoginBody'));
    const props = await screen.findAllByText(/username|password/);
    expect(props.length).toBeGreaterThanOrEqual(2);
    expect(screen.getAllByText('required').length).toBeGreaterThanOrEqual(2);

    await userEvent.clear(screen.getByLabelText('Search endpoints and schemas'));
    await userEvent.selectOptions(screen.getByLabelText('Method'), 'delete');
    expect(await screen.findByText('1 of 3 endpoints, 2 schemas')).toBeInTheDocument();
    const group = screen.getByRole('region', { name: 'fruits' });
    expect(within(group).getByText('Delete a fruit')).toBeInTheDocument();
  });

  it('shows the API error when the document cannot be loaded', async () => {
    storeSession();
    const { fetch } = mockFetch({});
    renderApp('/docs', fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('Not found');
  });
});
