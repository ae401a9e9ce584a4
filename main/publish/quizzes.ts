import { createHash } from 'node:crypto';
import type { Manifest, ManifestItem } from '#shared/manifest';
import type { CatalogueQuizParsed, ManifestQuiz, ManifestQuizQuestion } from '#shared/quiz';

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * What a rep learns from an item: its title, description and primary content. A new tag or a
 * later expiry date does not make a rep who passed answer its questions again; a new PDF does.
 */
export function itemVersion(item: ManifestItem): string {
  const primary = item.files.find((f) => f.role === 'primary' || f.role === 'site')?.sha256 ?? null;
  return sha256(['item', item.title, item.description, primary, item.pageCount ?? null]);
}

/** A term's meaning: its wording and definition. */
export function termVersion(term: Manifest['glossary'][number]): string {
  return sha256(['term', term.term, term.definition]);
}

/**
 * The quizzes as they ship: each question about the quiz's subject unless it names its own, with
 * the version of that subject (a question about nothing in particular is versioned by its own
 * content), and each quiz with a revision over all of it. References are checked by the manifest.
 */
export function shipQuizzes(
  quizzes: readonly CatalogueQuizParsed[],
  items: readonly ManifestItem[],
  glossary: Manifest['glossary'],
): ManifestQuiz[] {
  const itemById = new Map(items.map((i) => [i.id, i]));
  const termById = new Map(glossary.map((t) => [t.id, t]));
  return quizzes.map((quiz) => {
    const questions: ManifestQuizQuestion[] = quiz.questions.map((q) => {
      const item = q.item ?? (q.term === undefined ? quiz.item : undefined);
      const term = q.term ?? (q.item === undefined ? quiz.term : undefined);
      const subjectItem = item !== undefined ? itemById.get(item) : undefined;
      const subjectTerm = term !== undefined ? termById.get(term) : undefined;
      // An unknown subject gets a hash of its id; the manifest's reference check refuses it anyway.
      const version =
        item !== undefined
          ? subjectItem
            ? itemVersion(subjectItem)
            : sha256(['item', item])
          : term !== undefined
            ? subjectTerm
              ? termVersion(subjectTerm)
              : sha256(['term', term])
            : sha256(['question', q.prompt, q.choices]);
      return {
        id: q.id,
        prompt: q.prompt,
        choices: q.choices,
        explanation: q.explanation,
        ...(item !== undefined ? { item } : {}),
        ...(term !== undefined ? { term } : {}),
        version,
      };
    });
    return {
      id: quiz.id,
      title: quiz.title,
      kind: quiz.kind,
      ...(quiz.item !== undefined ? { item: quiz.item } : {}),
      ...(quiz.term !== undefined ? { term: quiz.term } : {}),
      passPercent: quiz.passPercent,
      revision: sha256([quiz.passPercent, questions]),
      questions,
    };
  });
}
