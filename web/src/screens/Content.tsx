export default function Content() {
  return <h1>Content</h1>;
}
