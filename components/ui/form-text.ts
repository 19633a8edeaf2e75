/** A text field's value from FormData; "" when missing or when it is a File. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
