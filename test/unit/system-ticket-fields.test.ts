import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import {
  buildTicketField,
  type SystemTicketField,
  type TicketField,
  type TicketForm,
} from '../../shared/domain/fields/field-definition.ts';
import { portalCustomFields, portalView } from '../../shared/domain/fields/portal-view.ts';
import {
  changeSystemTicketField,
  type PortalSystemValues,
  portalSystemFieldProblems,
  SYSTEM_TICKET_FIELD_TYPES,
  type SystemTicketFieldType,
  systemTicketField,
} from '../../shared/domain/fields/system-ticket-fields.ts';
import { checkTicketCustomFields } from '../../shared/domain/fields/ticket-field-values.ts';
import { chooseTicketForm } from '../../shared/domain/fields/ticket-form-choice.ts';

const NOW = '2026-11-25T09:00:00Z';
const LATER = '2026-11-26T09:00:00Z';

const detailsOf = (attempt: () => unknown): Record<string, { description: string }[]> => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected a validation error');
};

const system = (
  type: SystemTicketFieldType,
  changes: Partial<SystemTicketField> = {},
): SystemTicketField => ({
  ...systemTicketField(type, { id: SYSTEM_TICKET_FIELD_TYPES.indexOf(type) + 1, position: 0, now: NOW }),
  ...changes,
});
const seeded = (): TicketField[] => SYSTEM_TICKET_FIELD_TYPES.map((type) => system(type));
const withField = (fields: TicketField[], type: SystemTicketFieldType, changes: Partial<SystemTicketField>) =>
  fields.map((field) => (field.type === type ? { ...field, ...changes } : field));
const portalWritable = { visible_in_portal: true, editable_in_portal: true };

describe('system ticket fields as seeded', () => {
  it.each<[SystemTicketFieldType, string, boolean, boolean, boolean]>([
    ['subject', 'Subject', true, true, true],
    ['description', 'Description', true, true, true],
    ['status', 'Status', false, false, false],
    ['tickettype', 'Type', false, false, false],
    ['priority', 'Priority', false, false, false],
    ['group', 'Group', false, false, false],
    ['assignee', 'Assignee', true, false, false],
  ])(
    '%s is titled %s; visible %s, editable %s, required %s in the portal',
    (type, title, visible, editable, required) => {
      expect(system(type)).toMatchObject({
        type,
        title,
        title_in_portal: title,
        visible_in_portal: visible,
        editable_in_portal: editable,
        required_in_portal: required,
        active: true,
        custom_field_options: [],
        tag: null,
      });
    },
  );
});

describe('changing a system ticket field', () => {
  it('changes titles, description, position and portal flags', () => {
    const priority = changeSystemTicketField(
      system('priority'),
      {
        title: 'Urgency',
        title_in_portal: 'How urgent is it?',
        description: 'Choose how urgent',
        position: 7,
        ...portalWritable,
        required_in_portal: true,
      },
      LATER,
    );
    expect(priority).toMatchObject({
      type: 'priority',
      title: 'Urgency',
      title_in_portal: 'How urgent is it?',
      description: 'Choose how urgent',
      position: 7,
      ...portalWritable,
      required_in_portal: true,
      created_at: NOW,
      updated_at: LATER,
    });
  });

  it('accepts the unchangeable properties sent back unchanged (a client echoing the field)', () => {
    const subject = system('subject');
    expect(
      changeSystemTicketField(subject, { type: 'subject', active: true, required: true, tag: null }, LATER),
    ).toMatchObject({ type: 'subject', active: true, required: true });
  });

  it.each<[string, SystemTicketFieldType, Parameters<typeof changeSystemTicketField>[1], string]>([
    ['its type', 'subject', { type: 'text' }, 'type'],
    ['its active flag', 'priority', { active: false }, 'active'],
    ['its agent requirement', 'tickettype', { required: true }, 'required'],
    ['options', 'priority', { custom_field_options: [{ name: 'Meh' }] }, 'custom_field_options'],
    ['a blank title', 'subject', { title: ' ' }, 'title'],
    ['status editable by end-users', 'status', { editable_in_portal: true }, 'editable_in_portal'],
    ['group required of end-users', 'group', { required_in_portal: true }, 'required_in_portal'],
    ['assignee editable by end-users', 'assignee', { editable_in_portal: true }, 'editable_in_portal'],
    [
      'the description hidden from end-users',
      'description',
      { visible_in_portal: false },
      'visible_in_portal',
    ],
  ])('refuses %s', (_name, type, input, property) => {
    expect(Object.keys(detailsOf(() => changeSystemTicketField(system(type), input, LATER)))).toEqual([
      property,
    ]);
  });
});

describe('what end-users may set on a request', () => {
  const cases: [string, TicketField[], PortalSystemValues, boolean, Record<string, string>][] = [
    ['a subject, by default', seeded(), { subject: 'Help' }, true, {}],
    ['no subject, by default', seeded(), {}, true, { subject: 'Subject: is required' }],
    ['no subject on an update', seeded(), {}, false, {}],
    ['a blank subject', seeded(), { subject: '  ' }, true, { subject: 'Subject: is required' }],
    [
      'a subject once the field is hidden',
      withField(seeded(), 'subject', { visible_in_portal: false, required_in_portal: false }),
      { subject: 'Help' },
      true,
      { subject: 'Subject: cannot be set by end-users' },
    ],
    [
      'a priority, by default',
      seeded(),
      { subject: 'Help', priority: 'urgent' },
      true,
      { priority: 'Priority: cannot be set by end-users' },
    ],
    [
      'a priority when visible but not editable',
      withField(seeded(), 'priority', { visible_in_portal: true }),
      { subject: 'Help', priority: 'urgent' },
      true,
      { priority: 'Priority: cannot be set by end-users' },
    ],
    [
      'a priority when visible and editable',
      withField(seeded(), 'priority', portalWritable),
      { subject: 'Help', priority: 'urgent' },
      true,
      {},
    ],
    [
      'no priority when it is required',
      withField(seeded(), 'priority', { ...portalWritable, required_in_portal: true }),
      { subject: 'Help' },
      true,
      { priority: 'Priority: is required' },
    ],
    ['a null priority (sets nothing)', seeded(), { subject: 'Help', priority: null }, true, {}],
    [
      'a type, by default, named by its title',
      withField(seeded(), 'tickettype', { title: 'Kind of request' }),
      { subject: 'Help', type: 'incident' },
      true,
      { type: 'Kind of request: cannot be set by end-users' },
    ],
    [
      'a type when visible and editable',
      withField(seeded(), 'tickettype', portalWritable),
      { subject: 'Help', type: 'question' },
      true,
      {},
    ],
    [
      'a priority with no system fields seeded (the defaults apply)',
      [],
      { subject: 'Help', priority: 'high' },
      true,
      { priority: 'Priority: cannot be set by end-users' },
    ],
  ];

  it.each(cases)('%s', (_name, definitions, values, creating, expected) => {
    const problems = portalSystemFieldProblems(definitions, values, creating);
    expect(
      Object.fromEntries(Object.entries(problems).map(([key, [problem]]) => [key, problem?.description])),
    ).toEqual(expected);
  });

  it('reports system and custom field problems in one 422', () => {
    const details = detailsOf(() =>
      checkTicketCustomFields(
        seeded(),
        [{ id: 99, value: 'x' }],
        { portal: true, creating: true },
        {
          priority: 'urgent',
        },
      ),
    );
    expect(Object.keys(details).sort()).toEqual(['custom_fields', 'priority', 'subject']);
  });

  it('ignores system values for staff (agents set priority and type directly)', () => {
    expect(
      checkTicketCustomFields(seeded(), [], { portal: false, creating: true }, { priority: 'urgent' }),
    ).toEqual({ custom_fields: [], additional_tags: [], remove_tags: [] });
  });
});

describe('system fields in custom_fields', () => {
  it.each([false, true])('are refused, naming the field (portal: %s)', (portal) => {
    const details = detailsOf(() =>
      checkTicketCustomFields(seeded(), [{ id: 5, value: 'urgent' }], { portal, creating: false }),
    );
    expect(details.custom_fields?.[0]?.description).toBe(
      'Priority (field 5): is a system field; set it on the ticket, not in custom_fields',
    );
  });
});

const form = (id: number, changes: Partial<TicketForm> = {}): TicketForm => ({
  id,
  name: `Form ${id}`,
  display_name: `Form ${id}`,
  position: id,
  active: true,
  default: false,
  end_user_visible: true,
  ticket_field_ids: [],
  created_at: NOW,
  updated_at: NOW,
  ...changes,
});

describe('the ticket form of a write', () => {
  const forms = [
    form(1, { default: true, position: 5 }),
    form(2, { end_user_visible: false }),
    form(3, { active: false }),
    form(4, { default: true, position: 2 }),
  ];
  const agentCreate = { endUser: false, creating: true };
  const endUserCreate = { endUser: true, creating: true };

  it.each<[string, TicketForm[], number | null | undefined, typeof agentCreate, number | null | undefined]>([
    ['a named active form', forms, 2, agentCreate, 2],
    ['the default form (lowest position) when none is named', forms, undefined, agentCreate, 4],
    [
      'no form when there is no active default',
      [form(1), form(3, { default: true, active: false })],
      undefined,
      agentCreate,
      null,
    ],
    ['no form when there are no forms', [], undefined, endUserCreate, null],
    [
      'no change on an update that names none',
      forms,
      undefined,
      { endUser: false, creating: false },
      undefined,
    ],
    ['an end-user-visible form for an end-user', forms, 1, endUserCreate, 1],
    ['no form when Relaydesk asks for none', forms, null, agentCreate, null],
  ])('chooses %s', (_name, available, requested, write, expected) => {
    expect(chooseTicketForm(available, requested, write)).toBe(expected);
  });

  it.each<[string, number, typeof agentCreate]>([
    ['an unknown form', 99, agentCreate],
    ['an inactive form', 3, agentCreate],
    ['a form hidden from end-users, for an end-user', 2, endUserCreate],
  ])('refuses %s on ticket_form_id', (_name, requested, write) => {
    expect(Object.keys(detailsOf(() => chooseTicketForm(forms, requested, write)))).toEqual([
      'ticket_form_id',
    ]);
  });
});

describe('the portal view of a ticket', () => {
  const custom = (id: number, changes: Partial<TicketField> = {}) => ({
    ...buildTicketField({ type: 'text', title: `Field ${id}` }, { id, now: NOW, newOptionIds: [] }),
    ...changes,
  });
  const definitions: TicketField[] = [
    ...seeded(),
    custom(10, { visible_in_portal: true }),
    custom(11),
    custom(12, { visible_in_portal: true, active: false }),
  ];

  it('shows the values of active custom fields visible in the portal only', () => {
    const values = [10, 11, 12, 13].map((id) => ({ id, value: `v${id}` }));
    expect(portalCustomFields(values, portalView(definitions))).toEqual([{ id: 10, value: 'v10' }]);
  });

  it('shows the assignee but not the group by default, and follows their portal visibility', () => {
    expect(portalView(definitions)).toMatchObject({ showsAssignee: true, showsGroup: false });
    const changed = withField(withField(definitions, 'assignee', { visible_in_portal: false }), 'group', {
      visible_in_portal: true,
    });
    expect(portalView(changed)).toMatchObject({ showsAssignee: false, showsGroup: true });
  });
});
