export default function Attribution() {
  return <h1>Attribution</h1>;
}
