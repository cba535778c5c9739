// Form fields that carry their own error: the message is tied to the input (aria-describedby, aria-invalid),
// so a screen reader reads it with the field, and it sits where the eye looks.
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

interface Common {
  /** The form's prefix and the field's name make its id: "campaign-dailyBudget". */
  form: string;
  name: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
}

function ids(form: string, name: string) {
  const id = `${form}-${name.replace(/\W/g, '-')}`;
  return { id, errorId: `${id}-error`, hintId: `${id}-hint` };
}

function Wrap({ form, name, label, error, hint, className, children }: Common & { children: ReactNode }) {
  const { id, errorId, hintId } = ids(form, name);
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span id={hintId} className="muted hint">
          {hint}
        </span>
      )}
      <span id={errorId} className="field-error" data-field-error={name}>
        {error}
      </span>
    </div>
  );
}

function aria(form: string, name: string, error?: string, hint?: ReactNode) {
  const { id, errorId, hintId } = ids(form, name);
  return { id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': hint ? `${errorId} ${hintId}` : errorId };
}

export function TextField(props: Common & InputHTMLAttributes<HTMLInputElement>) {
  const { form, name, label, error, hint, className, ...input } = props;
  return (
    <Wrap {...{ form, name, label, error, hint, className }}>
      <input {...input} {...aria(form, name, error, hint)} />
    </Wrap>
  );
}

export function TextAreaField(props: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { form, name, label, error, hint, className, ...input } = props;
  return (
    <Wrap {...{ form, name, label, error, hint, className }}>
      <textarea {...input} {...aria(form, name, error, hint)} />
    </Wrap>
  );
}

export function SelectField(props: Common & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const { form, name, label, error, hint, className, children, ...input } = props;
  return (
    <Wrap {...{ form, name, label, error, hint, className }}>
      <select {...input} {...aria(form, name, error, hint)}>
        {children}
      </select>
    </Wrap>
  );
}

/** The errors that name no field of the form. */
export function FormErrors({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="form-error" role="alert">
      {errors.map((e, i) => (
        <p key={i}>{e}</p>
      ))}
    </div>
  );
}
