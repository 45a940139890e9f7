import { appOfFlyToml, FlyConfigError, parseFlyToml, type FlyProcessGroup } from '../../src/core/flyToml.js';

const HEAD = `app = "demo"\n[build]\nimage = "busybox:svc"\n`;
const TWO_GROUPS = `${HEAD}[processes]\napp = "sleep 3600"\nworker = "sh -c 'sleep 1; exit 1'"\n`;

const restartOf = (groups: FlyProcessGroup[]) => Object.fromEntries(groups.map((g) => [g.name, g.restart]));

describe('parseFlyToml: restart policy per process group', () => {
  it.each([
    [
      'no [[restart]]: deploy default is on-failure with 10 retries',
      TWO_GROUPS,
      {
        app: { policy: 'on-failure', max_retries: 10 },
        worker: { policy: 'on-failure', max_retries: 10 },
      },
    ],
    [
      'one entry per group',
      `${TWO_GROUPS}
[[restart]]
policy = "always"
processes = ["app"]
[[restart]]
policy = "on-failure"
retries = 3
processes = ["worker"]
`,
      { app: { policy: 'always' }, worker: { policy: 'on-failure', max_retries: 3 } },
    ],
    [
      'an entry without processes applies to all groups',
      `${TWO_GROUPS}
[[restart]]
policy = "always"
`,
      { app: { policy: 'always' }, worker: { policy: 'always' } },
    ],
    [
      'the last matching entry wins',
      `${TWO_GROUPS}
[[restart]]
policy = "never"
[[restart]]
policy = "always"
processes = ["worker"]
`,
      { app: { policy: 'no' }, worker: { policy: 'always' } },
    ],
    [
      'a later entry for all groups overrides an earlier targeted one',
      `${TWO_GROUPS}
[[restart]]
policy = "always"
processes = ["worker"]
[[restart]]
policy = "on-failure"
`,
      { app: { policy: 'on-failure', max_retries: 10 }, worker: { policy: 'on-failure', max_retries: 10 } },
    ],
    [
      'never is the API word no, and retries mean nothing without on-failure',
      `${TWO_GROUPS}
[[restart]]
policy = "never"
retries = 4
`,
      { app: { policy: 'no' }, worker: { policy: 'no' } },
    ],
    [
      'retries = 0 is kept',
      `${TWO_GROUPS}
[[restart]]
policy = "on-failure"
retries = 0
processes = ["app", "worker"]
`,
      { app: { policy: 'on-failure', max_retries: 0 }, worker: { policy: 'on-failure', max_retries: 0 } },
    ],
    [
      'a group no entry names keeps the default',
      `${TWO_GROUPS}
[[restart]]
policy = "always"
processes = ["app"]
`,
      { app: { policy: 'always' }, worker: { policy: 'on-failure', max_retries: 10 } },
    ],
  ])('%s', (_name, toml, expected) => {
    expect(restartOf(parseFlyToml(toml).groups)).toEqual(expected);
  });
});

describe('parseFlyToml: app, image, env, processes', () => {
  it('reads everything svc deploy needs', () => {
    const toml = `${TWO_GROUPS}[env]\nLOG_LEVEL = "debug"\n[http_service]\ninternal_port = 8080\n`;
    expect(parseFlyToml(toml)).toEqual({
      app: 'demo',
      image: 'busybox:svc',
      env: { LOG_LEVEL: 'debug' },
      groups: [
        { name: 'app', command: ['sleep', '3600'], restart: { policy: 'on-failure', max_retries: 10 } },
        {
          name: 'worker',
          command: ['sh', '-c', 'sleep 1; exit 1'],
          restart: { policy: 'on-failure', max_retries: 10 },
        },
      ],
    });
  });

  it('without [processes] deploys one group "app" running the image default command', () => {
    expect(parseFlyToml(HEAD).groups).toEqual([
      { name: 'app', command: [], restart: { policy: 'on-failure', max_retries: 10 } },
    ]);
  });

  it.each([
    ['echo "$HOME" *.txt', ['echo', '$HOME', '*.txt']],
    ['a && b # not a word', ['a', '&&', 'b']],
    ["sh -c 'exit 3'", ['sh', '-c', 'exit 3']],
    ['sh -c "echo $HOME"', ['sh', '-c', 'echo $HOME']],
    ['echo ~ a|b c>d', ['echo', '~', 'a|b', 'c>d']],
    ['echo a\\ b "x\\"y"', ['echo', 'a b', 'x"y']],
    ['echo a#b # comment', ['echo', 'a#b']],
  ])('splits %j into words without expanding anything', (command, argv) => {
    const toml = `${HEAD}[processes]\napp = ${JSON.stringify(command)}\n`;
    expect(parseFlyToml(toml).groups[0].command).toEqual(argv);
  });

  it('takes names of 63 characters and retries up to 1000', () => {
    const config = parseFlyToml(
      `app = "${'a'.repeat(63)}"\n[build]\nimage = "busybox:svc"\n[processes]\n${'g'.repeat(63)} = "sleep 1"\n[[restart]]\npolicy = "on-failure"\nretries = 1000\n`,
    );
    expect(config.app).toBe('a'.repeat(63));
    expect(config.groups).toEqual([
      { name: 'g'.repeat(63), command: ['sleep', '1'], restart: { policy: 'on-failure', max_retries: 1000 } },
    ]);
  });

  it('lets -a/--app stand in for a missing app', () => {
    expect(parseFlyToml(`[build]\nimage = "busybox:svc"\n`, { appOverride: 'other' }).app).toBe('other');
    expect(parseFlyToml(HEAD, { appOverride: 'other' }).app).toBe('other');
  });
});

describe('parseFlyToml: invalid configuration', () => {
  const problemsOf = (toml: string): string[] => {
    try {
      parseFlyToml(toml);
    } catch (error) {
      expect(error).toBeInstanceOf(FlyConfigError);
      return (error as FlyConfigError).problems;
    }
    throw new Error('expected FlyConfigError');
  };

  it.each([
    [
      'an invalid policy word',
      `${TWO_GROUPS}[[restart]]\npolicy = "sometimes"\n`,
      ['invalid restart policy: sometimes'],
    ],
    [
      'on-fail, which only the CLI accepts',
      `${TWO_GROUPS}[[restart]]\npolicy = "on-fail"\n`,
      ['invalid restart policy: on-fail'],
    ],
    [
      'an unknown process group',
      `${HEAD}[[restart]]\npolicy = "always"\nprocesses = ["worker"]\n`,
      ['restart entry names unknown process group: worker'],
    ],
    [
      'negative retries',
      `${HEAD}[[restart]]\npolicy = "on-failure"\nretries = -1\n`,
      ['restart retries must be a whole number from 0 to 1000: -1'],
    ],
    [
      'fractional retries',
      `${HEAD}[[restart]]\npolicy = "on-failure"\nretries = 1.5\n`,
      ['restart retries must be a whole number from 0 to 1000: 1.5'],
    ],
    // The Machines API's bounds (case 14): what deploys is a config the API takes back.
    [
      'retries = 1e20',
      `${HEAD}[[restart]]\npolicy = "on-failure"\nretries = 1e20\n`,
      ['restart retries must be a whole number from 0 to 1000: 100000000000000000000'],
    ],
    [
      "retries above the API's 1000",
      `${HEAD}[[restart]]\npolicy = "on-failure"\nretries = 1001\n`,
      ['restart retries must be a whole number from 0 to 1000: 1001'],
    ],
    [
      'a group name that reads as a flag',
      `${HEAD}[processes]\n"--privileged" = "sleep 1"\n`,
      [
        "invalid process group name '--privileged': use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters",
      ],
    ],
    [
      'a group name that is a path',
      `${HEAD}[processes]\n"../../etc" = "sleep 1"\n`,
      [
        "invalid process group name '../../etc': use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters",
      ],
    ],
    [
      'a group name that is markup',
      `${HEAD}[processes]\n"<img src=x onerror=alert(1)>" = "sleep 1"\n`,
      [
        "invalid process group name '<img src=x onerror=alert(1)>': use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters",
      ],
    ],
    [
      'a group name of 64 characters',
      `${HEAD}[processes]\n${'g'.repeat(64)} = "sleep 1"\n`,
      [
        `invalid process group name '${'g'.repeat(20)}...' (64 characters): use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters`,
      ],
    ],
    [
      'an app name of 64 characters',
      `app = "${'a'.repeat(64)}"\n[build]\nimage = "busybox:svc"\n`,
      [
        `invalid app name '${'a'.repeat(20)}...' (64 characters): use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters`,
      ],
    ],
    [
      "a command too long for docker's argv",
      `${HEAD}[processes]\napp = "${'x'.repeat(32_001)}"\n`,
      ['processes.app is 32001 characters long, at most 32000'],
    ],
    ['a missing app', `[build]\nimage = "busybox:svc"\n`, ['app is required: set app in fly.toml or pass -a/--app']],
    ['no [build]', `app = "demo"\n`, ['build.image is required: svc deploys an existing image']],
    [
      'a [build] that needs an image build',
      `app = "demo"\n[build]\ndockerfile = "Dockerfile"\n`,
      ['build.image is required: svc deploys an existing image'],
    ],
    ['a non-string env value', `${HEAD}[env]\nPORT = 8080\n`, ['env.PORT must be a string']],
    [
      'a flag as the image',
      `app = "demo"\n[build]\nimage = "--privileged"\n`,
      [
        'build.image "--privileged" is not an image reference: use [REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST] or an image id',
      ],
    ],
    [
      'an image with a space',
      `app = "demo"\n[build]\nimage = "busybox --pid=host"\n`,
      [
        'build.image "busybox --pid=host" is not an image reference: use [REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST] or an image id',
      ],
    ],
    [
      'an unbalanced single quote',
      `${HEAD}[processes]\nweb = "sh -c 'sleep 1"\n`,
      ['processes.web cannot be split into words: unterminated single quote'],
    ],
    [
      'an unbalanced double quote',
      `${HEAD}[processes]\nweb = 'echo "hi'\n`,
      ['processes.web cannot be split into words: unterminated double quote'],
    ],
    [
      'a trailing backslash',
      `${HEAD}[processes]\nweb = 'echo \\'\n`,
      ['processes.web cannot be split into words: a trailing backslash escapes nothing'],
    ],
    [
      'an env name docker cannot take',
      `${HEAD}[env]\n"BAD NAME" = "1"\n`,
      ["env: the name 'BAD NAME' contains whitespace"],
    ],
    ['a line break in an env value', `${HEAD}[env]\nA = """\nx\ny"""\n`, ['env: the value of A contains a line break']],
    [
      'every problem at once',
      `[[restart]]\npolicy = "bogus"\nprocesses = ["web"]\n`,
      [
        'app is required: set app in fly.toml or pass -a/--app',
        'build.image is required: svc deploys an existing image',
        'invalid restart policy: bogus',
        'restart entry names unknown process group: web',
      ],
    ],
  ])('reports %s', (_name, toml, expected) => {
    expect(problemsOf(toml)).toEqual(expected);
  });

  it('reports a TOML syntax error with its position', () => {
    const [problem, ...rest] = problemsOf(`app = "demo"\n[build\nimage = "x"\n`);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^fly\.toml: Invalid TOML document/);
    expect(problem).toContain('2:  [build');
  });

  it("fails with exit code 1 and ends with Fly's own last line", () => {
    const error = (() => {
      try {
        parseFlyToml(`${HEAD}[[restart]]\npolicy = "sometimes"\n`);
      } catch (caught) {
        return caught as FlyConfigError;
      }
      throw new Error('expected FlyConfigError');
    })();
    expect(error.kind).toBe('failed');
    expect(error.message).toBe('invalid restart policy: sometimes\nApp configuration is not valid');
  });
});

describe('appOfFlyToml: the app a machine command falls back to', () => {
  it.each([
    ['the app, trimmed', 'app = " demo "\n', 'demo'],
    ['no app', '[build]\nimage = "busybox"\n', null],
    ['an empty app', 'app = "  "\n', null],
    ['an app that is not a string', 'app = 3\n', null],
    ['the app of a file deploy would refuse', 'app = "demo"\n[[restart]]\npolicy = "sometimes"\n', 'demo'],
  ])('%s', (_case, text, app) => {
    expect(appOfFlyToml(text)).toBe(app);
  });

  it('throws when the text is not TOML', () => {
    expect(() => appOfFlyToml('app = \n')).toThrow();
  });
});
