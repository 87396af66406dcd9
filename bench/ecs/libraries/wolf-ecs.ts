/**
 * wolf-ecs 2.1.3: noctjs/ecs-benchmark's adapters (written for 2.1.2), with the query loops
 * fixed for 2.1.3. There a `Query` is no longer an array of archetypes: `q.length` is undefined
 * and `q[i]` does not exist, so the published adapters' loops run zero times (every frame a
 * no-op). 2.1.3 iterates `q.a[i].e` (archetypes, then their packed entity arrays).
 */
import { ECS, types } from 'wolf-ecs';
import { indexedSemantics, type Cell, type LibraryAdapter, type Workload } from '../workloads.ts';

// wolf-ecs 2.1.3's typings reject components as query terms (they work): `as never` below.
type Query = ReturnType<ECS['createQuery']>;

function size(q: Query): number {
  let n = 0;
  for (let i = 0; i < q.a.length; i++) n += q.a[i].e.length;
  return n;
}

function cell(ecs: ECS, frame: () => void, queries: Query[]): Cell {
  const internals = ecs as unknown as { entID: number; _rm: { packed: number[] } };
  return {
    frame,
    counts: () => ({ alive: internals.entID - internals._rm.packed.length, queries: queries.map(size) }),
  };
}

function create(workload: Workload, n: number): Cell {
  switch (workload) {
    case 'packed_5': {
      const ecs = new ECS(n);
      const A = ecs.defineComponent(types.u32);
      const B = ecs.defineComponent(types.u32);
      const C = ecs.defineComponent(types.u32);
      const D = ecs.defineComponent(types.u32);
      const E = ecs.defineComponent(types.u32);
      const qA = ecs.createQuery(A as never);
      function sysA(lA: Uint32Array) {
        for (let i = 0, l = qA.a.length; i < l; i++) {
          const arch = qA.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) lA[arch[j]] *= 2;
        }
      }
      const qB = ecs.createQuery(B as never);
      function sysB(lB: Uint32Array) {
        for (let i = 0, l = qB.a.length; i < l; i++) {
          const arch = qB.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) lB[arch[j]] *= 2;
        }
      }
      const qC = ecs.createQuery(C as never);
      function sysC(lC: Uint32Array) {
        for (let i = 0, l = qC.a.length; i < l; i++) {
          const arch = qC.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) lC[arch[j]] *= 2;
        }
      }
      const qD = ecs.createQuery(D as never);
      function sysD(lD: Uint32Array) {
        for (let i = 0, l = qD.a.length; i < l; i++) {
          const arch = qD.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) lD[arch[j]] *= 2;
        }
      }
      const qE = ecs.createQuery(E as never);
      function sysE(lE: Uint32Array) {
        for (let i = 0, l = qE.a.length; i < l; i++) {
          const arch = qE.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) lE[arch[j]] *= 2;
        }
      }
      for (let i = 0; i < n; i++) {
        ecs.createEntity();
        ecs.addComponent(i, A);
        A[i] = 1;
        ecs.addComponent(i, B);
        B[i] = 1;
        ecs.addComponent(i, C);
        C[i] = 1;
        ecs.addComponent(i, D);
        D[i] = 1;
        ecs.addComponent(i, E);
        E[i] = 1;
      }
      return cell(ecs, () => {
        sysA(A);
        sysB(B);
        sysC(C);
        sysD(D);
        sysE(E);
      }, [qA, qB, qC, qD, qE]);
    }
    case 'simple_iter': {
      const ecs = new ECS(4 * n);
      const A = ecs.defineComponent(types.u32);
      const B = ecs.defineComponent(types.u32);
      const C = ecs.defineComponent(types.u32);
      const D = ecs.defineComponent(types.u32);
      const E = ecs.defineComponent(types.u32);
      const qAB = ecs.createQuery(A as never, B as never);
      const qCD = ecs.createQuery(C as never, D as never);
      const qCE = ecs.createQuery(C as never, E as never);
      function sysAB(lA: Uint32Array, lB: Uint32Array) {
        for (let i = 0, l = qAB.a.length; i < l; i++) {
          const arch = qAB.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) {
            const temp = lA[arch[j]];
            lA[arch[j]] = lB[arch[j]];
            lB[arch[j]] = temp;
          }
        }
      }
      function sysCD(lC: Uint32Array, lD: Uint32Array) {
        for (let i = 0, l = qCD.a.length; i < l; i++) {
          const arch = qCD.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) {
            const temp = lC[arch[j]];
            lC[arch[j]] = lD[arch[j]];
            lD[arch[j]] = temp;
          }
        }
      }
      function sysCE(lC: Uint32Array, lE: Uint32Array) {
        for (let i = 0, l = qCE.a.length; i < l; i++) {
          const arch = qCE.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) {
            const temp = lC[arch[j]];
            lC[arch[j]] = lE[arch[j]];
            lE[arch[j]] = temp;
          }
        }
      }
      for (let i = 0; i < n; i++) {
        const ab = ecs.createEntity();
        ecs.addComponent(ab, A);
        ecs.addComponent(ab, B);
        const abc = ecs.createEntity();
        ecs.addComponent(abc, A);
        ecs.addComponent(abc, B);
        ecs.addComponent(abc, C);
        const abcd = ecs.createEntity();
        ecs.addComponent(abcd, A);
        ecs.addComponent(abcd, B);
        ecs.addComponent(abcd, C);
        ecs.addComponent(abcd, D);
        const abce = ecs.createEntity();
        ecs.addComponent(abce, A);
        ecs.addComponent(abce, B);
        ecs.addComponent(abce, C);
        ecs.addComponent(abce, E);
      }
      return cell(ecs, () => {
        sysAB(A, B);
        sysCD(C, D);
        sysCE(C, E);
      }, [qAB, qCD, qCE]);
    }
    case 'frag_iter': {
      const ecs = new ECS(26 * n);
      const cmps: Int32Array<ArrayBuffer>[] = [];
      for (let i = 0; i < 26; i++) cmps.push(ecs.defineComponent(types.i32));
      const z = cmps[25];
      const data = ecs.defineComponent(types.i32);
      const dataQuery = ecs.createQuery(data as never);
      function dataSystem(lData: Int32Array) {
        for (let i = 0, l = dataQuery.a.length; i < l; i++) {
          const arch = dataQuery.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) lData[arch[j]] *= 2;
        }
      }
      const zQuery = ecs.createQuery(z as never);
      function zSystem(lZ: Int32Array) {
        for (let i = 0, l = zQuery.a.length; i < l; i++) {
          const arch = zQuery.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) lZ[arch[j]] *= 2;
        }
      }
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < cmps.length; k++) {
          const id = ecs.createEntity();
          ecs.addComponent(id, cmps[k]);
          ecs.addComponent(id, data);
          data[id] = 0;
          cmps[k][id] = 0;
        }
      }
      return cell(ecs, () => {
        dataSystem(data);
        zSystem(z);
      }, [dataQuery, zQuery]);
    }
    case 'entity_cycle': {
      const ecs = new ECS(2 * n);
      const A = ecs.defineComponent();
      const B = ecs.defineComponent();
      const qA = ecs.createQuery(A as never);
      function createBs(lB: typeof B) {
        for (let i = 0, l = qA.a.length; i < l; i++) {
          const arch = qA.a[i].e;
          for (let j = 0, m = arch.length; j < m; j++) ecs.addComponent(ecs.createEntity(), lB);
        }
      }
      const qB = ecs.createQuery(B as never);
      function destroyBs() {
        for (let i = 0, l = qB.a.length; i < l; i++) {
          const arch = qB.a[i].e;
          for (let j = arch.length - 1; j >= 0; j--) ecs.destroyEntity(arch[j]);
        }
      }
      for (let i = 0; i < n; i++) {
        ecs.createEntity();
        ecs.addComponent(i, A);
      }
      return cell(ecs, () => {
        createBs(B);
        destroyBs();
      }, [qA, qB]);
    }
    case 'add_remove': {
      const ecs = new ECS(n);
      const A = ecs.defineComponent();
      const B = ecs.defineComponent();
      const qA = ecs.createQuery(A as never);
      function add(lB: typeof B) {
        for (let i = 0; i < qA.a.length; i++) {
          const arch = qA.a[i].e;
          for (let j = arch.length - 1; j >= 0; j--) ecs.addComponent(arch[j], lB);
        }
      }
      const qB = ecs.createQuery(B as never);
      function remove(lB: typeof B) {
        for (let i = 0; i < qB.a.length; i++) {
          const arch = qB.a[i].e;
          for (let j = arch.length - 1; j >= 0; j--) ecs.removeComponent(arch[j], lB);
        }
      }
      for (let i = 0; i < n; i++) {
        ecs.createEntity();
        ecs.addComponent(i, A);
      }
      return cell(ecs, () => {
        add(B);
        remove(B);
      }, [qA, qB]);
    }
  }
}

export const wolfEcs: LibraryAdapter = {
  name: 'wolf-ecs 2.1.3',
  id: 'wolf-ecs',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('tag'),
  changes: [
    'queries iterated as `q.a[i].e` (2.1.3): the published `q.length` / `q[i]` loops run zero times on 2.1.3',
    '`new ECS(max)` sized to the workload (default 10,000 entities is below frag_iter and simple_iter at 4x)',
    'entity_cycle: B is a data-less component, as in the noctjs adapter (no copy of A)',
  ],
  create,
};
