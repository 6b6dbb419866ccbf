import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../../api/client';
import { Link, navigate, useSearchParams } from '../../../router';
import { safeNext, sessionStore, useSession } from '../../../session';
import { useRegister, useSignIn, signOut } from '../api/use-auth';
import {
  type AuthMode,
  type CredentialErrors,
  type CredentialField,
  fieldErrorsFrom,
  normaliseUsername,
  PASSWORD_HINT,
  USERNAME_HINT,
  validateCredentials,
} from '../credential-rules';
import '../auth.css';

const COPY = {
  'sign-in': {
    title: 'Sign in',
    lead: 'Pick up where you left off: your recommendations, likes and history.',
    submit: 'Sign in',
    pending: 'Signing in…',
    failed: 'Couldn’t sign you in',
  },
  register: {
    title: 'Create your account',
    lead: 'Like a few songs and Encore learns what you enjoy.',
    submit: 'Create account',
    pending: 'Creating your account…',
    failed: 'Couldn’t create your account',
  },
} as const;

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function AuthPage({ mode }: { mode: AuthMode }) {
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'), '/for-you');
  const nextQuery = params.get('next') ? `?next=${encodeURIComponent(next)}` : '';
  // Read once: the message belongs to this visit of the page, not to later ones.
  const [notice] = useState(() => sessionStore.getNotice());
  useEffect(() => sessionStore.clearNotice(), []);

  const signIn = useSignIn();
  const register = useRegister();
  const mutation = mode === 'register' ? register : signIn;
  const copy = COPY[mode];

  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // The form's own checks (re-run on every change once submitted) and the API's, which last until that field is edited.
  const [ruleErrors, setRuleErrors] = useState<CredentialErrors>({});
  const [apiErrors, setApiErrors] = useState<CredentialErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const errors: CredentialErrors = {
    username: ruleErrors.username ?? apiErrors.username,
    password: ruleErrors.password ?? apiErrors.password,
  };
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    document.title = `${copy.title} · Encore`;
    return () => {
      document.title = 'Encore';
    };
  }, [copy.title]);

  if (session) {
    return (
      <section className="page auth-page">
        <div className="card auth-card">
          <h1>You’re signed in</h1>
          <p>
            Signed in as <strong>{session.user.username}</strong>.
          </p>
          <div className="auth-card__actions">
            <Link to="/for-you" className="button button--primary">
              Go to For you
            </Link>
            <button type="button" className="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </section>
    );
  }

  const focusFirst = (found: CredentialErrors) => {
    if (found.username) usernameRef.current?.focus();
    else if (found.password) passwordRef.current?.focus();
  };

  const onChange = (field: CredentialField, value: string) => {
    const next = { username, password, [field]: value };
    setUsername(next.username);
    setPassword(next.password);
    setApiErrors((current) => ({ ...current, [field]: undefined }));
    // Once the form has been submitted, messages follow what you type.
    if (submitted) setRuleErrors(validateCredentials(mode, next.username, next.password));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    const found = validateCredentials(mode, username, password);
    setRuleErrors(found);
    setApiErrors({});
    if (found.username || found.password) {
      focusFirst(found);
      return;
    }
    mutation.mutate(
      { username: normaliseUsername(username), password },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: (error) => {
          if (!(error instanceof ApiError)) return;
          const fromApi = fieldErrorsFrom(error.body.details);
          setApiErrors(fromApi);
          focusFirst(fromApi);
        },
      },
    );
  };

  const fieldError = (field: CredentialField) =>
    errors[field] ? (
      <p className="form-field__error" id={`${id}-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;
  const describedBy = (field: CredentialField, hint: boolean) =>
    [errors[field] ? `${id}-${field}-error` : '', hint ? `${id}-${field}-hint` : ''].filter(Boolean).join(' ') ||
    undefined;
  const apiError = mutation.error;

  return (
    <section className="page auth-page" aria-labelledby={`${id}-title`}>
      <div className="card auth-card">
        <h1 id={`${id}-title`}>{copy.title}</h1>
        <p className="muted">{copy.lead}</p>

        {notice ? (
          <p className="notice notice--warn" role="alert">
            {notice}
          </p>
        ) : null}
        {apiError && !errors.username && !errors.password ? (
          <div className="notice notice--error" role="alert">
            <strong>{copy.failed}.</strong> {sentence(apiError.message)}
          </div>
        ) : null}

        <form className="auth-form" noValidate onSubmit={onSubmit}>
          <div className="form-field">
            <label htmlFor={`${id}-username`}>Username</label>
            <input
              ref={usernameRef}
              id={`${id}-username`}
              className="input"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              aria-invalid={errors.username ? true : undefined}
              aria-describedby={describedBy('username', mode === 'register')}
              onChange={(e) => onChange('username', e.target.value)}
            />
            {mode === 'register' ? (
              <p className="form-field__hint" id={`${id}-username-hint`}>
                {USERNAME_HINT}
              </p>
            ) : null}
            {fieldError('username')}
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              ref={passwordRef}
              id={`${id}-password`}
              className="input"
              type="password"
              name="password"
              autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
              value={password}
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={describedBy('password', mode === 'register')}
              onChange={(e) => onChange('password', e.target.value)}
            />
            {mode === 'register' ? (
              <p className="form-field__hint" id={`${id}-password-hint`}>
                {PASSWORD_HINT}
              </p>
            ) : null}
            {fieldError('password')}
          </div>
          <button type="submit" className="button button--primary button--block" disabled={mutation.isPending}>
            {mutation.isPending ? copy.pending : copy.submit}
          </button>
        </form>

        <p className="auth-card__switch">
          {mode === 'register' ? (
            <>
              Already have an account? <Link to={`/sign-in${nextQuery}`}>Sign in</Link>
            </>
          ) : (
            <>
              New to Encore? <Link to={`/register${nextQuery}`}>Create an account</Link>
            </>
          )}
        </p>
      </div>
    </section>
  );
}
